using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace DevPlatform.Storage.Backups;

/// <summary>
/// A directory as <c>tar.gz</c> (PAX; symlinks stored as links, never followed), written private (0600) beside its final
/// name and moved into place when complete; and the way back, into a new folder the platform made, which writes only
/// inside it: entries that would land outside it, symlinks pointing out of it, entries under a link and duplicates are
/// skipped and reported, never written through or over.
/// </summary>
internal static class TarArchive
{
    /// <summary>Writes the archive and returns its SHA-256 (hex).</summary>
    public static async Task<string> CreateAsync(string directory, string archive, CancellationToken cancellationToken)
    {
        var partial = archive + ".partial";
        await using (var file = new FileStream(partial, new FileStreamOptions
        {
            Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            await TarFile.CreateFromDirectoryAsync(directory, gzip, includeBaseDirectory: false, cancellationToken);
        }

        var sha = await Sha256Async(partial, cancellationToken);
        File.Move(partial, archive, overwrite: true);
        return sha;
    }

    /// <summary>Extracts the archive (or only the entries under <paramref name="prefix"/>) into <paramref name="into"/>.</summary>
    public static async Task<(int Files, IReadOnlyList<string> Skipped)> ExtractAsync(string archive, string into, string? prefix, CancellationToken cancellationToken)
    {
        into = Path.GetFullPath(into);
        Directory.CreateDirectory(into);
        var skipped = new List<string>();
        var files = 0;
        await using var file = File.OpenRead(archive);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var reader = new TarReader(gzip);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            var name = entry.Name.TrimStart('.', '/');
            if (name.Length == 0 || (prefix is not null && name != prefix && !name.StartsWith(prefix + "/", StringComparison.Ordinal)))
            {
                continue;
            }

            var destination = Path.GetFullPath(Path.Combine(into, name));
            if (!destination.StartsWith(into + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                skipped.Add($"{entry.Name}: outside the restore folder");
                continue;
            }

            if (LinkAbove(into, destination) is { } link)
            {
                skipped.Add($"{entry.Name}: under the link {Path.GetRelativePath(into, link)}, not followed");
                continue;
            }

            if (entry.EntryType != TarEntryType.Directory && Path.Exists(destination))
            {
                skipped.Add($"{entry.Name}: already restored from an earlier entry, not overwritten");
                continue;
            }

            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(destination);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                    Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                    await entry.ExtractToFileAsync(destination, overwrite: false, cancellationToken);
                    files++;
                    break;
                case TarEntryType.SymbolicLink when Path.GetFullPath(entry.LinkName, Path.GetDirectoryName(destination)!).StartsWith(into + Path.DirectorySeparatorChar, StringComparison.Ordinal):
                    Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                    File.CreateSymbolicLink(destination, entry.LinkName);
                    break;
                default:
                    skipped.Add($"{entry.Name}: {(entry.EntryType == TarEntryType.SymbolicLink ? $"a symlink to {entry.LinkName}, outside the restore" : entry.EntryType.ToString())}");
                    break;
            }
        }

        return (files, skipped);
    }

    /// <summary>The first symbolic link among the folders between <paramref name="root"/> and the entry, if any.</summary>
    private static string? LinkAbove(string root, string destination)
    {
        for (var folder = Path.GetDirectoryName(destination); folder is not null && folder.Length > root.Length; folder = Path.GetDirectoryName(folder))
        {
            if (new FileInfo(folder).LinkTarget is not null)
            {
                return folder;
            }
        }

        return null;
    }

    public static async Task<string> Sha256Async(string file, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
