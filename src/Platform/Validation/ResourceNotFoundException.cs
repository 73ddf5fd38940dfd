namespace DevPlatform.Validation;

/// <summary>A named resource does not exist; becomes a 404 problem.</summary>
internal sealed class ResourceNotFoundException(string resourceType, string name)
    : Exception($"No {resourceType} named '{name}' exists.")
{
    public string ResourceType { get; } = resourceType;
}
