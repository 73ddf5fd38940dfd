using System.Globalization;
using DevPlatform.Abstractions;
using DevPlatform.Audit;
using Microsoft.Extensions.Options;

namespace DevPlatform.Storage.Backups;

/// <summary>
/// What happens to a deleted user's files: the home is archived (tar.gz, 0600) into the backup folder's <c>.deleted/</c>
/// and removed, the archive kept <c>Storage:DeletedUserGraceDays</c> days (30) so an admin can still recover it, then
/// removed by the clean-up job; their backups and any dormant archive are removed at once (the kept archive is the
/// newest copy). A new account with the same name starts with an empty home and no backups.
/// </summary>
internal sealed class RetiredUsers(SelectedStorage storage, HomeBackups backups, IBackupTarget target, AuditLog audit, IOptions<StorageOptions> options, TimeProvider time)
{
    public async Task RetireAsync(string user, string actor, CancellationToken cancellationToken)
    {
        var home = storage.Provider.Ensure(StorageArea.Home(user));
        var kept = Path.Combine(backups.PrivateDirectory(HomeBackups.RetiredFolder), $"{user}-{time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}.tar.gz");
        var sha = await TarArchive.CreateAsync(home, kept, cancellationToken);
        Directory.Delete(home, recursive: true); // removes links, never what they point at
        foreach (var backup in await backups.ListAsync(user, cancellationToken))
        {
            await target.DeleteAsync(user, backup.Id, cancellationToken);
        }

        if (Directory.Exists(backups.ArchiveDirectory))
        {
            File.Delete(Path.Combine(backups.ArchiveDirectory, user + ".tar.gz")); // a dormant archive, if any
            File.Delete(Path.Combine(backups.ArchiveDirectory, user + ".sha256"));
        }

        audit.Record(actor, "retire", "home", user, null, new { keptAt = kept, sha256 = sha, keptDays = options.Value.DeletedUserGraceDays, backupsRemoved = true });
    }

    /// <summary>Removes retired homes past the grace period; returns how many.</summary>
    public int Purge()
    {
        var cutoff = time.GetUtcNow().AddDays(-options.Value.DeletedUserGraceDays).UtcDateTime;
        var old = Directory.EnumerateFiles(backups.PrivateDirectory(HomeBackups.RetiredFolder), "*.tar.gz").Where(f => File.GetLastWriteTimeUtc(f) < cutoff).ToList();
        old.ForEach(File.Delete);
        return old.Count;
    }
}
