using DevPlatform.Abstractions;
using DevPlatform.Api;
using DevPlatform.Persistence;
using DevPlatform.Validation;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Storage;

/// <summary>Users see their home's and their groups' usage against the limits; admins see every area, largest first, and run clean-ups.</summary>
internal static class StorageApi
{
    public sealed record AreaUsage(StorageAreaKind Kind, string Owner, string? Folder, long Bytes, long Files, bool Complete, DateTimeOffset ScannedAt);

    public sealed record Limited(string Name, long Bytes, long? SoftLimit, long? HardLimit, bool OverSoft, bool OverHard, DateTimeOffset? ScannedAt, IReadOnlyList<AreaUsage> Areas);

    /// <param name="DormancyWarnedAt">When you were warned your home will be archived for lack of sign-ins (signing in clears it).</param>
    /// <param name="HomeArchivedAt">When your home was archived; your next launch brings it back.</param>
    public sealed record MyStorage(Limited Home, IReadOnlyList<Limited> Groups, DateTimeOffset? DormancyWarnedAt, DateTimeOffset? HomeArchivedAt);

    /// <summary>A user's home and their groups' folders against their limits, from the last scan.</summary>
    public static async Task<MyStorage> MineAsync(PlatformDbContext db, string name, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Name == name).Select(u => new { u.Id, u.Name, u.DormancyWarnedAt, u.HomeArchivedAt }).FirstOrDefaultAsync(ct)
            ?? throw new ResourceNotFoundException("user", name);
        var home = await AreasAsync(db, StorageAreaKind.Home, user.Name, ct);
        var groups = new List<Limited>();
        var memberships = await db.Memberships.AsNoTracking().Where(m => m.UserId == user.Id).OrderBy(m => m.Group.Name)
            .Select(m => new { m.Group.Name, m.Group.Policy.StorageSoftQuota, m.Group.Policy.StorageQuota }).ToListAsync(ct);
        foreach (var group in memberships)
        {
            groups.Add(Limit(group.Name, await AreasAsync(db, null, group.Name, ct), StorageLimit.OfGroup(group.StorageSoftQuota, group.StorageQuota)));
        }

        return new MyStorage(Limit(user.Name, home, await StorageLimit.HomeOfAsync(db, user.Id, ct)), groups, user.DormancyWarnedAt, user.HomeArchivedAt);
    }

    public static RouteGroupBuilder MapStorageApi(this RouteGroupBuilder api, RouteGroupBuilder admin)
    {
        api.MapGet("/me/storage", (HttpContext http, PlatformDbContext db, CancellationToken ct) => MineAsync(db, http.User.Identity!.Name!, ct))
            .WithName("GetMyStorage").WithTags("Storage").WithSummary("Your home's and your groups' folders' usage against their soft and hard limits, from the last scan.");

        admin.MapGet("/storage/usage", (PlatformDbContext db, int? offset, int? limit, CancellationToken ct) =>
                new PageRequest(offset, limit).ApplyAsync(db.StorageUsages.AsNoTracking().OrderByDescending(u => u.Bytes).ThenBy(u => u.Id), From, ct))
            .WithName("ListStorageUsage").WithTags("Storage").WithSummary("Every home, shared and scratch folder as last scanned, largest first.");
        admin.MapPost("/storage/scratch/cleanup", async (ScratchCleaner cleaner, HttpContext http, string? group, bool? dryRun, CancellationToken ct) =>
                await cleaner.CleanAsync(group, dryRun ?? true, Actor.Of(http.User), ct))
            .WithName("CleanScratch").WithTags("Storage")
            .WithSummary("Removes files older than each group's scratch retention (one group with ?group=); dryRun defaults to true and only lists them.");
        return api;
    }

    private static Task<List<StorageUsage>> AreasAsync(PlatformDbContext db, StorageAreaKind? kind, string owner, CancellationToken cancellationToken) =>
        db.StorageUsages.AsNoTracking().Where(u => u.Owner == owner && (kind == null ? u.Kind != StorageAreaKind.Home : u.Kind == kind)).OrderBy(u => u.Folder).ToListAsync(cancellationToken);

    private static Limited Limit(string name, List<StorageUsage> areas, StorageLimit limit)
    {
        var bytes = areas.Sum(a => a.Bytes);
        return new Limited(name, bytes, limit.Soft, limit.Hard, bytes > limit.Soft, bytes > limit.Hard,
            areas.Count == 0 ? null : areas.Min(a => a.ScannedAt), areas.Select(From).ToList());
    }

    private static AreaUsage From(StorageUsage u) => new(u.Kind, u.Owner, u.Folder.Length == 0 ? null : u.Folder, u.Bytes, u.Files, u.Complete, u.ScannedAt);
}
