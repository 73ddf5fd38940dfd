using DevPlatform.Abstractions;
using DevPlatform.Audit;
using DevPlatform.Environments;
using DevPlatform.Persistence;
using DevPlatform.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DevPlatform.Storage.Backups;

/// <summary>
/// Homes of users who stopped signing in (DANDI's retention policy), off unless configured: after
/// <c>Storage:DormantWarnAfterDays</c> without a sign-in the user is warned (shown in <c>/api/me/storage</c>, audited);
/// after <c>Storage:DormantArchiveAfterDays</c>, with no environment active, the home is archived (tar.gz, SHA-256
/// checked) and removed. It comes back, checksum verified, at the user's next launch.
/// </summary>
internal sealed class DormantHomes(PlatformDbContext db, SelectedStorage storage, HomeBackups backups, AuditLog audit, IOptions<StorageOptions> options, TimeProvider time)
{
    public async Task<string> PassAsync(CancellationToken cancellationToken)
    {
        var (warnDays, archiveDays) = (options.Value.DormantWarnAfterDays, options.Value.DormantArchiveAfterDays);
        if (warnDays is null && archiveDays is null)
        {
            return "dormancy is off (Storage:DormantWarnAfterDays / DormantArchiveAfterDays).";
        }

        var now = time.GetUtcNow();
        var users = await db.Users.Where(u => u.HomeArchivedAt == null).ToListAsync(cancellationToken);
        var active = await db.Environments.Where(e => EnvironmentStates.Active.Contains(e.State)).Select(e => e.UserId).Distinct().ToListAsync(cancellationToken);
        int warned = 0, archived = 0;
        foreach (var user in users)
        {
            var last = user.LastSignInAt ?? user.CreatedAt;
            var days = (now - last).TotalDays;
            if (archiveDays is { } archive && days >= archive && !active.Contains(user.Id))
            {
                await ArchiveAsync(user, (int)days, cancellationToken);
                archived++;
            }
            else if (warnDays is { } warn && days >= warn && user.DormancyWarnedAt is null) // signing in clears the warning
            {
                user.DormancyWarnedAt = now;
                audit.Record("dormant-homes", "warn", "home", user.Name, null, new { lastSignIn = last, archiveOn = archiveDays is { } a ? last.AddDays(a) : (DateTimeOffset?)null });
                await db.SaveChangesAsync(cancellationToken);
                warned++;
            }
        }

        return $"{users.Count} user(s) with a home: warned {warned}, archived {archived}.";
    }

    /// <summary>Brings an archived home back (checksum first); nothing to do when it is not archived.</summary>
    public async Task<bool> RestoreAsync(string userName, CancellationToken cancellationToken)
    {
        var user = await db.Users.FirstAsync(u => u.Name == userName, cancellationToken);
        if (user.HomeArchivedAt is null)
        {
            return false;
        }

        var archive = Path.Combine(backups.ArchiveDirectory, $"{user.Name}.tar.gz");
        var expected = (await File.ReadAllTextAsync(archive[..^".tar.gz".Length] + ".sha256", cancellationToken)).Trim();
        if (await TarArchive.Sha256Async(archive, cancellationToken) != expected)
        {
            throw new ApiProblemException(409, "Archived home damaged.", $"The archive of {user.Name}'s home does not match its SHA-256; an administrator must restore it from a backup.");
        }

        var home = storage.Provider.Ensure(StorageArea.Home(user.Name));
        var staging = HomeBackups.Staging(home);
        string placed;
        try
        {
            await TarArchive.ExtractAsync(archive, staging, null, cancellationToken);
            placed = PlaceHome(staging, home);
        }
        finally
        {
            HomeBackups.DeleteStaging(staging);
        }

        user.HomeArchivedAt = null;
        user.DormancyWarnedAt = null;
        audit.Record("dormant-homes", "unarchive", "home", user.Name, null, new { into = placed });
        await db.SaveChangesAsync(cancellationToken);
        File.Delete(archive);
        File.Delete(archive[..^".tar.gz".Length] + ".sha256");
        return true;
    }

    /// <summary>
    /// The archived home takes the home's place when the home is still empty; when the user already wrote to it (over
    /// SFTP, say) it goes to <c>~/restored/archived-home</c> instead, so nothing of either is overwritten or followed.
    /// </summary>
    private static string PlaceHome(string staging, string home)
    {
        try
        {
            Directory.Delete(home); // only when empty
            NoFollowPlacement.MoveInto(staging, Path.GetDirectoryName(home)!, Path.GetFileName(home));
            return ".";
        }
        catch (Exception e) when (e is IOException or UnsafePlacementException { Taken: true })
        {
            Directory.CreateDirectory(home);
            return NoFollowPlacement.MoveIntoFree(staging, home, "restored/archived-home");
        }
    }

    private async Task ArchiveAsync(Tenancy.User user, int days, CancellationToken cancellationToken)
    {
        var home = storage.Provider.Ensure(StorageArea.Home(user.Name));
        var archive = Path.Combine(backups.PrivateDirectory(Path.GetFileName(backups.ArchiveDirectory)), $"{user.Name}.tar.gz");
        var sha = await TarArchive.CreateAsync(home, archive, cancellationToken);
        await File.WriteAllTextAsync(archive[..^".tar.gz".Length] + ".sha256", sha + "\n", cancellationToken);
        if (await TarArchive.Sha256Async(archive, cancellationToken) != sha)
        {
            throw new IOException($"The archive of {user.Name}'s home did not read back as written; the home was kept.");
        }

        Directory.Delete(home, recursive: true);
        user.HomeArchivedAt = time.GetUtcNow();
        audit.Record("dormant-homes", "archive", "home", user.Name, null, new { daysWithoutSignIn = days, sha256 = sha });
        await db.SaveChangesAsync(cancellationToken);
    }
}
