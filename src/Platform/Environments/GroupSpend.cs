using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Environments;

/// <summary>
/// What a group's environments have cost this calendar month (UTC): running time within the month times
/// each environment's hourly rate (its pool's node price at the pool's capacity type — one node per
/// environment, an upper bound until metering prices node shares).
/// </summary>
internal sealed class GroupSpend(PlatformDbContext db, TimeProvider time)
{
    public async Task<decimal> MonthToDateAsync(string group, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var runs = await db.Environments
            .Where(e => e.GroupName == group && e.StartedAt != null && (e.StoppedAt == null || e.StoppedAt > monthStart))
            .Select(e => new { e.StartedAt, e.StoppedAt, e.HourlyRate, e.State })
            .ToListAsync(cancellationToken);
        return runs.Sum(r =>
        {
            var from = r.StartedAt!.Value > monthStart ? r.StartedAt.Value : monthStart;
            var to = r.StoppedAt is { } stopped && stopped > r.StartedAt ? stopped : now;
            return to > from ? (decimal)(to - from).TotalHours * r.HourlyRate : 0m;
        });
    }
}
