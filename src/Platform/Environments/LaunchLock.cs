using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Environments;

/// <summary>
/// Launch limits (per user, group quotas, budget, the hub's concurrent starts) are "count what is active, then add
/// one": two requests, on one host or on two, must not both count before either adds. A launch or start takes this
/// PostgreSQL advisory lock inside its transaction before counting; it is released at commit, so only that short
/// window is serialised, hub-wide.
/// </summary>
internal static class LaunchLock
{
    /// <summary>A fixed key ("DvPLaunc" as bytes) no other lock of the platform uses.</summary>
    private const long Key = 0x4476504C61756E63;

    public static async Task TakeAsync(PlatformDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("The launch lock is held until commit: take it inside the launch's transaction.");
        }

        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({Key})", cancellationToken);
    }
}
