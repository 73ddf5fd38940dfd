namespace DevPlatform.Kubernetes.Client;

public enum WatchEventType
{
    Added,
    Modified,
    Deleted,

    /// <summary>Progress only: the resource version moved on; no object.</summary>
    Bookmark,

    /// <summary>The watch expired (410 Gone) and the list was read again: forget what you knew; Added events for every current object follow.</summary>
    Relisted,
}

public sealed record WatchEvent<T>(WatchEventType Type, T? Item, string ResourceVersion);
