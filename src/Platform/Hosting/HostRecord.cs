namespace DevPlatform.Hosting;

/// <summary>A host sharing the database, and when it last said it was alive.</summary>
internal sealed class HostRecord
{
    public required string Node { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }
}
