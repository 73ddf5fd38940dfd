namespace DevPlatform.Resources;

/// <summary>A stored resource addressed by its unique, immutable name.</summary>
internal interface INamedEntity
{
    string Name { get; }

    DateTimeOffset CreatedAt { get; set; }

    DateTimeOffset UpdatedAt { get; set; }
}
