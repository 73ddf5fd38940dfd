using System.Diagnostics;
using System.Text.RegularExpressions;
using DevPlatform.Abstractions;

namespace DevPlatform.Plugins.Storage;

/// <summary>
/// Homes and group folders as directories under one root this host reaches (<see cref="StorageArea.RelativePath"/>):
/// ensured with owner-only (homes) or owner-and-group (group folders) permissions, scanned and cleaned by walking with
/// lstat. The local-disk and EFS providers differ only in where the root is.
/// </summary>
internal abstract partial class DirectoryTreeStorage(Func<string> locateRoot) : IStorageProvider
{
    public const int MaxListed = 1000;
    private readonly Lazy<string> root = new(locateRoot); // a provider not chosen is never asked where its root is

    public abstract string Name { get; }

    public abstract string DisplayName { get; }

    public string Ensure(StorageArea area)
    {
        var path = PathOf(area);
        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, area.Kind == StorageAreaKind.Home ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute);
        }

        return path;
    }

    public Task<StorageScan> ScanAsync(StorageArea area, TimeSpan budget, CancellationToken cancellationToken) => Task.Run(() =>
    {
        var clock = Stopwatch.StartNew();
        if (AreaRoot(area) is not var (path, status))
        {
            return new StorageScan(0, 0, 0, true, clock.Elapsed);
        }

        long bytes = status.AllocatedBytes, files = 0, directories = 0;
        var linked = new HashSet<(ulong, ulong)>();
        foreach (var (_, entry) in TreeWalk.Entries(path, status))
        {
            if (clock.Elapsed > budget)
            {
                return new StorageScan(bytes, files, directories, false, clock.Elapsed);
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (entry.IsDirectory)
            {
                directories++;
            }
            else
            {
                files++;
            }

            if (entry.Links <= 1 || entry.IsDirectory || linked.Add((entry.Device, entry.Inode)))
            {
                bytes += entry.AllocatedBytes;
            }
        }

        return new StorageScan(bytes, files, directories, true, clock.Elapsed);
    }, cancellationToken);

    public Task<StorageCleanup> CleanAsync(StorageArea area, DateTimeOffset olderThan, bool dryRun, CancellationToken cancellationToken) => Task.Run(() =>
    {
        var removed = new List<string>();
        long count = 0, bytes = 0;
        if (AreaRoot(area) is not var (path, status))
        {
            return new StorageCleanup(0, 0, removed, dryRun);
        }

        var directories = new List<(string Path, DateTimeOffset Modified)>(); // as found: removing their files changes them
        foreach (var (entry, entryStatus) in TreeWalk.Entries(path, status))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entryStatus.IsDirectory)
            {
                directories.Add((entry, entryStatus.Modified));
                continue;
            }

            if (entryStatus.Modified >= olderThan || !Inside(path, entry))
            {
                continue;
            }

            if (!dryRun)
            {
                try
                {
                    File.Delete(entry); // a symlink is removed itself; its target is never touched
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    continue;
                }
            }

            count++;
            bytes += entryStatus.AllocatedBytes;
            if (removed.Count < MaxListed)
            {
                removed.Add(Path.GetRelativePath(path, entry));
            }
        }

        if (!dryRun)
        {
            foreach (var (directory, modified) in directories.OrderByDescending(d => d.Path.Length))
            {
                if (modified < olderThan && Inside(path, directory) && FileStatus.Of(directory) is { IsDirectory: true } && !Directory.EnumerateFileSystemEntries(directory).Any())
                {
                    Directory.Delete(directory);
                }
            }
        }

        return new StorageCleanup(count, bytes, removed, dryRun);
    }, cancellationToken);

    /// <summary>The area's directory and its status, or null when it does not exist; an area that is itself a symlink is refused.</summary>
    private (string Path, FileStatus Status)? AreaRoot(StorageArea area)
    {
        var path = PathOf(area);
        if (FileStatus.Of(path) is not { } status)
        {
            return null;
        }

        return status.IsDirectory ? (path, status)
            : throw new InvalidOperationException($"The {area} at {path} is not a directory (a symlink?); it is left alone.");
    }

    private string PathOf(StorageArea area)
    {
        Check(area.Owner);
        if (area.Kind == StorageAreaKind.Shared)
        {
            Check(area.Folder ?? throw new ArgumentException("A shared folder needs a name.", nameof(area)));
        }

        return Path.Combine(root.Value, area.RelativePath);
    }

    /// <summary>Names are DNS-1123 labels (the platform validates them); anything else never becomes a path.</summary>
    private static string Check(string name) => SafeName().IsMatch(name) ? name : throw new ArgumentException($"'{name}' is not a storage area name.", nameof(name));

    private static bool Inside(string root, string path) => Path.GetFullPath(path).StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeName();
}
