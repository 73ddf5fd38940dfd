namespace DevPlatform.Abstractions;

/// <summary>
/// Where homes and group folders live (local disk, EFS). Chosen by <c>Storage:Provider</c>. Every area is a directory
/// tree this host can reach (the local disk root, or the EFS file system mounted into the hub), so scans, clean-ups
/// and backups run here whatever mounts the environments get.
/// </summary>
public interface IStorageProvider : INamedStrategy
{
    string DisplayName { get; }

    /// <summary>The area's directory on this host, created when missing.</summary>
    string Ensure(StorageArea area);

    /// <summary>
    /// Bytes allocated and entries under the area: symlinks are counted, never followed; hard links once; other file
    /// systems mounted inside are not entered; stops at <paramref name="budget"/> and says the result is partial.
    /// </summary>
    Task<StorageScan> ScanAsync(StorageArea area, TimeSpan budget, CancellationToken cancellationToken);

    /// <summary>
    /// Removes (or, dry, only lists) entries inside the area not modified since <paramref name="olderThan"/>, then the
    /// directories that became empty; never follows a symlink and never leaves the area.
    /// </summary>
    Task<StorageCleanup> CleanAsync(StorageArea area, DateTimeOffset olderThan, bool dryRun, CancellationToken cancellationToken);
}

public enum StorageAreaKind
{
    /// <summary>A user's persistent home.</summary>
    Home,

    /// <summary>A group's shared folder (by name).</summary>
    Shared,

    /// <summary>A group's scratch folder, cleaned by retention.</summary>
    Scratch,
}

/// <param name="Owner">The user (homes) or the group (shared and scratch folders).</param>
/// <param name="Folder">A shared folder's name; null otherwise.</param>
public sealed record StorageArea(StorageAreaKind Kind, string Owner, string? Folder = null)
{
    public static StorageArea Home(string user) => new(StorageAreaKind.Home, user);

    public static StorageArea Shared(string group, string folder) => new(StorageAreaKind.Shared, group, folder);

    public static StorageArea Scratch(string group) => new(StorageAreaKind.Scratch, group);

    /// <summary>
    /// Where the area lives under a storage root, the same for every provider and for Kubernetes sub-path mounts:
    /// <c>homes/{user}</c>, <c>groups/{group}/shared/{folder}</c>, <c>groups/{group}/scratch</c>.
    /// </summary>
    public string RelativePath => Kind switch
    {
        StorageAreaKind.Home => $"homes/{Owner}",
        StorageAreaKind.Shared => $"groups/{Owner}/shared/{Folder}",
        _ => $"groups/{Owner}/scratch",
    };

    public override string ToString() => Kind switch
    {
        StorageAreaKind.Home => $"home of {Owner}",
        StorageAreaKind.Shared => $"{Owner}/{Folder} (shared)",
        _ => $"{Owner} scratch",
    };
}

/// <param name="Bytes">Allocated bytes (sparse files count what they occupy).</param>
/// <param name="Complete">False when the time budget ran out first: the numbers are a lower bound.</param>
public sealed record StorageScan(long Bytes, long Files, long Directories, bool Complete, TimeSpan Took);

/// <param name="Removed">Paths relative to the area, as removed (or, dry, as they would be); at most the first 1,000.</param>
public sealed record StorageCleanup(long Count, long Bytes, IReadOnlyList<string> Removed, bool DryRun);
