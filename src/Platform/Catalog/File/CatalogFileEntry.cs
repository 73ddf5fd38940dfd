namespace DevPlatform.Catalog.File;

/// <summary>
/// An entry a catalog file applied (a pool, profile or group with its policy), with a fingerprint of what the file
/// said. At start-up an entry whose fingerprint is unchanged is not applied again, so edits made since in the console or
/// API stay; an entry the file changes is applied again and the file wins.
/// </summary>
internal sealed class CatalogFileEntry
{
    public required string ResourceType { get; set; }

    public required string Name { get; set; }

    /// <summary>The file's name (not its folder), as shown in the console: "managed by catalog.yaml".</summary>
    public required string File { get; set; }

    /// <summary>SHA-256 of the entry's canonical JSON.</summary>
    public required string Fingerprint { get; set; }

    public DateTimeOffset AppliedAt { get; set; }
}
