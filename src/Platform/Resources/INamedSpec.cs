namespace DevPlatform.Resources;

/// <summary>What a client writes for a resource (the API body, an entry of the catalog file).</summary>
internal interface INamedSpec
{
    string Name { get; }
}
