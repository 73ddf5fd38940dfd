using System.Runtime.InteropServices;

namespace DevPlatform.Storage.Backups;

/// <summary>
/// Puts a folder the platform made into a place a user controls (their home) without following a link the user
/// planted on the way and without replacing anything: every folder on the path is opened with <c>O_NOFOLLOW</c>
/// relative to the one before (<c>openat</c>), missing ones are made (<c>mkdirat</c>), and the move is one
/// <c>renameat2(RENAME_NOREPLACE)</c>. Checking names first and writing after would race with the user's own processes.
/// </summary>
internal static partial class NoFollowPlacement
{
    private const int ODirectory = 0x10000, ONoFollow = 0x20000, OCloExec = 0x80000, AtFdCwd = -100, RenameNoReplace = 1;
    private const int EExist = 17, ENotDir = 20, ELoop = 40, EXDev = 18;

    /// <summary>Moves <paramref name="source"/> to the first free one of <c>{relative}</c>, <c>{relative}-2</c>, … under <paramref name="root"/>.</summary>
    /// <returns>The name it was given.</returns>
    public static string MoveIntoFree(string source, string root, string relative)
    {
        for (var n = 1; ; n++)
        {
            var name = n == 1 ? relative : $"{relative}-{n}";
            try
            {
                MoveInto(source, root, name);
                return name;
            }
            catch (UnsafePlacementException e) when (e.Taken && n < 100)
            {
            }
        }
    }

    /// <summary>Moves <paramref name="source"/> to <paramref name="relative"/> (slash-separated) under <paramref name="root"/>.</summary>
    /// <exception cref="UnsafePlacementException">A folder on the way is a link or not a folder, or the target exists.</exception>
    public static void MoveInto(string source, string root, string relative)
    {
        var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var fd = Open(AtFdCwd, root, root);
        try
        {
            var walked = new List<string>();
            foreach (var part in parts[..^1])
            {
                walked.Add(part);
                if (MakeDirectoryAt(fd, part, Convert.ToUInt32("700", 8)) != 0 && Marshal.GetLastPInvokeError() != EExist)
                {
                    throw new IOException($"Could not create {string.Join('/', walked)}: errno {Marshal.GetLastPInvokeError()}.");
                }

                var next = Open(fd, part, string.Join('/', walked));
                _ = Close(fd);
                fd = next;
            }

            if (RenameAt2(AtFdCwd, source, fd, parts[^1], RenameNoReplace) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw errno == EExist
                    ? new UnsafePlacementException($"{relative} already exists; nothing was overwritten.", taken: true)
                    : new IOException($"Could not move the files to {relative}: errno {errno}{(errno == EXDev ? " (staging and home are on different file systems)" : "")}.");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static int Open(int directory, string name, string shown)
    {
        var fd = OpenAt(directory, name, ODirectory | ONoFollow | OCloExec);
        if (fd >= 0)
        {
            return fd;
        }

        var errno = Marshal.GetLastPInvokeError();
        throw errno is ELoop or ENotDir
            ? new UnsafePlacementException($"{shown} is a symbolic link or not a folder; the platform does not follow links in a home.")
            : new IOException($"Could not open {shown}: errno {errno}.");
    }

    [LibraryImport("libc", EntryPoint = "openat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int OpenAt(int directory, string path, int flags);

    [LibraryImport("libc", EntryPoint = "mkdirat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MakeDirectoryAt(int directory, string path, uint mode);

    [LibraryImport("libc", EntryPoint = "renameat2", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int RenameAt2(int fromDirectory, string from, int toDirectory, string to, uint flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
