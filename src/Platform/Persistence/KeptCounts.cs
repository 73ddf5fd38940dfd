using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Persistence;

/// <summary>
/// The totals of the big lists as the triggers keep them (<see cref="RowCount"/>): a page of users, members or audit events
/// reports how many match without counting them, when it filters by nothing but the key they are kept by. Exact: the
/// changes are written in the same transaction as the rows, so a statement sees both in one snapshot.
/// </summary>
internal static class KeptCounts
{
    /// <summary>Users' counts are kept under this name, keyed by admin ("true"/"false"); the triggers of migration RowCounts write it.</summary>
    public const string UsersTable = "users";

    /// <summary>Memberships' counts are kept under this name, keyed by group id.</summary>
    public const string MembershipsTable = "memberships";

    /// <summary>Audit events' counts are kept under this name, keyed by resource type.</summary>
    public const string AuditEventsTable = "audit_events";

    /// <summary>All users, or the admins (true) or the others (false).</summary>
    public static IQueryable<RowCount> Users(PlatformDbContext db, bool? admin) =>
        Of(db, UsersTable, admin is { } value ? (value ? "true" : "false") : null);

    /// <summary>The members of the group of this name (none if there is no such group).</summary>
#pragma warning disable CA1305 // g.Id.ToString() is SQL (id::text), the memberships' key; never formatted in .NET
    public static IQueryable<RowCount> Members(PlatformDbContext db, string groupName) =>
        db.RowCounts.Where(c => c.TableName == MembershipsTable && db.Groups.Any(g => g.Name == groupName && c.Key == g.Id.ToString()));
#pragma warning restore CA1305

    /// <summary>All audit events, or those about one resource type.</summary>
    public static IQueryable<RowCount> AuditEvents(PlatformDbContext db, string? resourceType) => Of(db, AuditEventsTable, resourceType);

    /// <summary>Folds each key's changes into one row; returns how many rows it folded.</summary>
    public static async Task<long> CompactAsync(PlatformDbContext db, CancellationToken cancellationToken) =>
        await db.Database.SqlQuery<long>($"SELECT compact_row_counts() AS \"Value\"").SingleAsync(cancellationToken);

    private static IQueryable<RowCount> Of(PlatformDbContext db, string table, string? key) =>
        key is null ? db.RowCounts.Where(c => c.TableName == table) : db.RowCounts.Where(c => c.TableName == table && c.Key == key);
}
