using System.Globalization;
using DevPlatform.Abstractions;
using DevPlatform.Validation;
using Microsoft.Extensions.Options;

namespace DevPlatform.Storage.Backups;

/// <summary>
/// Snapshots of homes as <c>tar.gz</c> (PAX; symlinks stored as links, never followed) in a directory, each with its
/// SHA-256 beside it; retention keeps the newest <c>KeepCount</c> and drops older ones past <c>KeepDays</c>. A restore
/// checks the checksum first, extracts the whole home, or one path of it, into a private folder beside the home, then
/// moves that to <c>~/restored/{backup}/</c> following no link the user planted and replacing nothing
/// (<see cref="NoFollowPlacement"/>); entries that would land outside it, and symlinks pointing out of it, are skipped.
/// </summary>
internal sealed class HomeBackups(SelectedStorage storage, IBackupTarget target, IOptions<BackupOptions> options, IHostEnvironment host, TimeProvider time)
{
    private string Root => Path.GetFullPath(options.Value.Directory, host.ContentRootPath);

    /// <summary>Where dormant users' homes are archived (a name no user can have).</summary>
    public string ArchiveDirectory => Path.Combine(Root, ".archived");

    /// <summary>Where deleted users' homes are kept for the grace period (a name no user can have).</summary>
    public const string RetiredFolder = ".deleted";

    /// <summary>A folder under the backups root, made private (0700) with the root itself.</summary>
    public string PrivateDirectory(string name)
    {
        Directory.CreateDirectory(Root, Private);
        return Directory.CreateDirectory(Path.Combine(Root, name), Private).FullName;
    }

    /// <summary>Backups hold whole homes, which are private: folders 0700, files 0600.</summary>
    public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public async Task<HomeBackup> TakeAsync(string user, CancellationToken cancellationToken)
    {
        var home = storage.Provider.Ensure(StorageArea.Home(user));
        var taken = time.GetUtcNow();
        var id = taken.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var archive = Path.Combine(Path.GetTempPath(), $"devplatform-backup-{Guid.NewGuid():N}.tar.gz");
        try
        {
            var sha = await TarArchive.CreateAsync(home, archive, cancellationToken);
            var bytes = new FileInfo(archive).Length;
            await target.PutAsync(user, id, archive, sha, cancellationToken);
            await PruneAsync(user, cancellationToken);
            return new HomeBackup(id, user, taken, bytes, sha);
        }
        finally
        {
            File.Delete(archive);
        }
    }

    public Task<IReadOnlyList<HomeBackup>> ListAsync(string user, CancellationToken cancellationToken) => target.ListAsync(user, cancellationToken);

    public async Task<RestoreResult> RestoreAsync(string user, string id, string? path, CancellationToken cancellationToken)
    {
        var prefix = NormalisedPrefix(path);
        if ((await ListAsync(user, cancellationToken)).All(b => b.Id != id))
        {
            throw new ResourceNotFoundException("backup", $"{user}/{id}");
        }

        var archive = Path.Combine(Path.GetTempPath(), $"devplatform-restore-{Guid.NewGuid():N}.tar.gz");
        try
        {
            var recorded = await target.FetchAsync(user, id, archive, cancellationToken);
            if (await TarArchive.Sha256Async(archive, cancellationToken) != recorded)
            {
                throw new ApiProblemException(409, "Backup damaged.", $"Backup {id} of {user} does not match its SHA-256; it was not restored. Choose another backup.");
            }

            var home = storage.Provider.Ensure(StorageArea.Home(user));
            var staging = Staging(home);
            try
            {
                var (files, skipped) = await TarArchive.ExtractAsync(archive, staging, prefix, cancellationToken);
                if (prefix is not null && files == 0 && !Directory.Exists(Path.Combine(staging, prefix)))
                {
                    throw new ResourceNotFoundException("path in backup", $"{id}:{prefix}");
                }

                var placed = NoFollowPlacement.MoveIntoFree(staging, home, $"restored/{id}");
                return new RestoreResult(user, id, placed, files, skipped);
            }
            finally
            {
                DeleteStaging(staging);
            }
        }
        finally
        {
            File.Delete(archive);
        }
    }

    /// <summary>
    /// A new private folder beside the home (same file system, so the move into it is one rename; out of the user's
    /// reach, so nothing can be swapped for a link while the archive is written into it).
    /// </summary>
    public static string Staging(string home) =>
        Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(home).TrimEnd('/'))!, $".restore-{Guid.NewGuid():N}"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute).FullName;

    public static void DeleteStaging(string staging)
    {
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true); // removes links, never what they point at
        }
    }

    /// <summary>Keeps the newest KeepCount; of the rest, drops those older than KeepDays.</summary>
    private async Task PruneAsync(string user, CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().AddDays(-options.Value.KeepDays);
        foreach (var old in (await ListAsync(user, cancellationToken)).Skip(options.Value.KeepCount).Where(b => b.TakenAt < cutoff))
        {
            await target.DeleteAsync(user, old.Id, cancellationToken);
        }
    }

    private static string? NormalisedPrefix(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        var parts = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Any(p => p is "." or ".."))
        {
            throw new ValidationFailedException(new Dictionary<string, string[]> { ["path"] = ["must be a path inside the home without '.' or '..' segments, e.g. 'project/data'."] });
        }

        return string.Join('/', parts);
    }
}
