using System.Globalization;
using System.Linq.Expressions;
using DevPlatform.Abstractions;
using DevPlatform.Environments;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DevPlatform.Storage;

/// <summary>
/// Measures every home, shared folder and scratch folder with the storage provider (bounded per area), records the
/// result, and tells owners once when an area passes its soft limit: an event on each running environment
/// concerned. Hard limits are enforced at launch (the launch policy reads these records).
/// </summary>
internal sealed class StorageScanner(
    PlatformDbContext db, SelectedStorage storage, EnvironmentRecorder recorder, IOptions<StorageOptions> options, TimeProvider time)
{
    public async Task<string> ScanAllAsync(CancellationToken cancellationToken)
    {
        var users = await db.Users.AsNoTracking().Select(u => new { u.Id, u.Name }).ToListAsync(cancellationToken);
        var groups = await db.Groups.AsNoTracking().Select(g => new { g.Name, g.Policy.SharedFolders, g.Policy.ScratchRetentionDays, g.Policy.StorageSoftQuota, g.Policy.StorageQuota })
            .ToListAsync(cancellationToken);
        var budget = TimeSpan.FromSeconds(options.Value.ScanBudgetSeconds);
        int areas = 0, partial = 0, warned = 0;
        foreach (var user in users)
        {
            var usage = await RecordAsync(StorageArea.Home(user.Name), budget, cancellationToken);
            areas++;
            partial += usage.Complete ? 0 : 1;
            var limit = await StorageLimit.HomeOfAsync(db, user.Id, cancellationToken);
            if (await WarnOnceAsync(usage, usage.Bytes, limit, e => e.User.Name == user.Name, $"Your home uses {Size(usage.Bytes)}, past its soft limit of {Size(limit.Soft)}", cancellationToken))
            {
                warned++;
            }
        }

        foreach (var group in groups)
        {
            var folders = group.SharedFolders.Select(f => StorageArea.Shared(group.Name, f)).ToList();
            if (group.ScratchRetentionDays is not null)
            {
                folders.Add(StorageArea.Scratch(group.Name));
            }

            var total = 0L;
            StorageUsage? first = null;
            foreach (var area in folders)
            {
                var usage = await RecordAsync(area, budget, cancellationToken);
                areas++;
                partial += usage.Complete ? 0 : 1;
                total += usage.Bytes;
                first ??= usage;
            }

            var limit = StorageLimit.OfGroup(group.StorageSoftQuota, group.StorageQuota);
            if (first is not null && await WarnOnceAsync(first, total, limit, e => e.GroupName == group.Name, // the group's first folder carries its warning mark
                    $"Group '{group.Name}' folders use {Size(total)}, past their soft limit of {Size(limit.Soft)}", cancellationToken))
            {
                warned++;
            }
        }

        return $"scanned {areas} area(s), {partial} cut short by the time budget; {warned} soft-limit warning(s).";
    }

    /// <summary>Tells the running environments concerned, once per crossing; the mark clears when usage is back under.</summary>
    private async Task<bool> WarnOnceAsync(
        StorageUsage marker, long bytes, StorageLimit limit, Expression<Func<UserEnvironment, bool>> concerned, string message, CancellationToken cancellationToken)
    {
        if (limit.Soft is not { } soft || bytes <= soft)
        {
            if (marker.WarnedAt is not null)
            {
                marker.WarnedAt = null;
                await db.SaveChangesAsync(cancellationToken);
            }

            return false;
        }

        if (marker.WarnedAt is not null)
        {
            return false;
        }

        marker.WarnedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        var text = limit.Hard is { } hard ? $"{message}; at {Size(hard)} new launches are refused. Delete what you no longer need." : $"{message}.";
        foreach (var environment in await db.Environments.Where(e => e.State == EnvironmentState.Running).Where(concerned).ToListAsync(cancellationToken))
        {
            await recorder.ProgressAsync(db, environment, text, cancellationToken);
        }

        return true;
    }

    public static string Size(long? bytes) => bytes switch
    {
        null => "no limit",
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.#} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.#} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
    };

    private async Task<StorageUsage> RecordAsync(StorageArea area, TimeSpan budget, CancellationToken cancellationToken)
    {
        var scan = await storage.Provider.ScanAsync(area, budget, cancellationToken);
        var folder = area.Folder ?? "";
        var usage = await db.StorageUsages.FirstOrDefaultAsync(u => u.Kind == area.Kind && u.Owner == area.Owner && u.Folder == folder, cancellationToken);
        if (usage is null)
        {
            usage = new StorageUsage { Kind = area.Kind, Owner = area.Owner, Folder = folder };
            db.StorageUsages.Add(usage);
        }

        (usage.Bytes, usage.Files, usage.Complete, usage.ScannedAt, usage.TookSeconds) = (scan.Bytes, scan.Files, scan.Complete, time.GetUtcNow(), scan.Took.TotalSeconds);
        await db.SaveChangesAsync(cancellationToken);
        return usage;
    }
}
