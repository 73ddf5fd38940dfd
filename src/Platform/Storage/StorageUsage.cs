using DevPlatform.Abstractions;

namespace DevPlatform.Storage;

/// <summary>The last scan of one storage area: its size, when, whether the scan finished, and since when it is over its soft limit.</summary>
internal sealed class StorageUsage
{
    public long Id { get; set; }

    public StorageAreaKind Kind { get; set; }

    /// <summary>The user (home) or group (shared, scratch).</summary>
    public required string Owner { get; set; }

    /// <summary>A shared folder's name; empty for homes and scratch.</summary>
    public string Folder { get; set; } = "";

    public long Bytes { get; set; }

    public long Files { get; set; }

    public bool Complete { get; set; }

    public DateTimeOffset ScannedAt { get; set; }

    public double TookSeconds { get; set; }

    /// <summary>When its owner was told it passed its soft limit; cleared once it is back under.</summary>
    public DateTimeOffset? WarnedAt { get; set; }
}
