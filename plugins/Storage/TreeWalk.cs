namespace DevPlatform.Plugins.Storage;

/// <summary>
/// Every entry under a root, depth first, by lstat: symlinks are reported, never followed; directories on another
/// device (mount points) are reported but not entered; entries that vanish meanwhile are skipped. Holds only the
/// directories still to visit, so memory does not grow with the number of files.
/// </summary>
internal static class TreeWalk
{
    public static IEnumerable<(string Path, FileStatus Status)> Entries(string root, FileStatus rootStatus)
    {
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            IEnumerable<string> names;
            try
            {
                names = Directory.EnumerateFileSystemEntries(directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // removed or unreadable meanwhile
            }

            foreach (var path in names)
            {
                if (FileStatus.Of(path) is not { } status)
                {
                    continue;
                }

                yield return (path, status);
                if (status.IsDirectory && status.Device == rootStatus.Device)
                {
                    pending.Push(path);
                }
            }
        }
    }
}
