using DevPlatform.Abstractions;
using DevPlatform.Audit;
using DevPlatform.Persistence;
using DevPlatform.Validation;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Storage;

/// <summary>
/// Deletes files in groups' scratch folders not changed within the group's <c>scratchRetentionDays</c> (then the
/// directories left empty). A dry run lists what would go and changes nothing; a real run is audited with what was
/// removed. Only scratch folders are ever cleaned — never homes or shared folders — and the provider never follows a
/// symlink out of the folder.
/// </summary>
internal sealed class ScratchCleaner(PlatformDbContext db, SelectedStorage storage, AuditLog audit, TimeProvider time)
{
    public sealed record GroupCleanup(string Group, int RetentionDays, DateTimeOffset OlderThan, StorageCleanup Result);

    public async Task<IReadOnlyList<GroupCleanup>> CleanAsync(string? onlyGroup, bool dryRun, string actor, CancellationToken cancellationToken)
    {
        if (onlyGroup is not null)
        {
            var retention = await db.Groups.AsNoTracking().Where(g => g.Name == onlyGroup).Select(g => new { Days = g.Policy.ScratchRetentionDays }).FirstOrDefaultAsync(cancellationToken)
                ?? throw new ResourceNotFoundException("group", onlyGroup);
            if (retention.Days is null)
            {
                throw new ApiProblemException(409, "No scratch folder.", $"Group '{onlyGroup}' has no scratch folder: set scratchRetentionDays in its policy first.");
            }
        }

        var groups = await db.Groups.AsNoTracking().Where(g => g.Policy.ScratchRetentionDays != null && (onlyGroup == null || g.Name == onlyGroup))
            .OrderBy(g => g.Name).Select(g => new { g.Name, Days = g.Policy.ScratchRetentionDays!.Value }).ToListAsync(cancellationToken);
        var results = new List<GroupCleanup>();
        foreach (var group in groups)
        {
            var olderThan = time.GetUtcNow().AddDays(-group.Days);
            var result = await storage.Provider.CleanAsync(StorageArea.Scratch(group.Name), olderThan, dryRun, cancellationToken);
            if (!dryRun && result.Count > 0)
            {
                audit.Record(actor, "clean", "scratch", group.Name, null, new { olderThan, result.Count, result.Bytes, result.Removed });
                await db.SaveChangesAsync(cancellationToken);
            }

            results.Add(new GroupCleanup(group.Name, group.Days, olderThan, result));
        }

        return results;
    }
}
