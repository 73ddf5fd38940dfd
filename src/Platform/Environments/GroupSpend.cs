using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Environments;

/// <summary>
/// What a group's environments have cost this calendar month (UTC): the metered cost (the daily sums of the usage
/// records from the month's first day on) plus what environments have run since they were last metered, at their rate.
/// </summary>
internal sealed class GroupSpend(PlatformDbContext db, TimeProvider time)
{
    public static DateTimeOffset MonthStart(DateTimeOffset now) => new(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);

    public async Task<decimal> MonthToDateAsync(string group, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var monthStart = MonthStart(now);
        var firstDay = DateOnly.FromDateTime(monthStart.UtcDateTime);
        var metered = await db.UsageDays.Where(u => u.GroupName == group && u.Day >= firstDay).SumAsync(u => u.Cost, cancellationToken);
        var unmetered = await db.Environments.Where(Costs.UsageMeter.Unmetered).Where(e => e.GroupName == group)
            .Select(e => new { From = e.MeteredUntil ?? e.StartedAt!.Value, e.StoppedAt, e.HourlyRate, e.State })
            .ToListAsync(cancellationToken);
        return metered + unmetered.Sum(r =>
        {
            var from = r.From > monthStart ? r.From : monthStart;
            var to = r.State.IsActive() || r.StoppedAt is null ? now : r.StoppedAt.Value;
            return to > from ? (decimal)(to - from).TotalHours * r.HourlyRate : 0m;
        });
    }
}
