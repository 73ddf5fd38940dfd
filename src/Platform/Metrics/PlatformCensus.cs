using System.Diagnostics.Metrics;
using DevPlatform.Environments;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Metrics;

/// <summary>
/// What the gauges report, read from the database in three queries when <c>/metrics</c> is scraped (never inside a
/// gauge callback): environments by state, group, profile and pool; idle seconds of running ones; each group's spend
/// this month and budget.
/// </summary>
internal sealed class PlatformCensus(TimeProvider time)
{
    private volatile Snapshot current = new([], [], [], []);

    public async Task TakeAsync(PlatformDbContext db, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var month = DevPlatform.Environments.GroupSpend.MonthStart(now);
        var counts = await db.Environments.GroupBy(e => new { e.State, e.GroupName, e.ProfileName, e.PoolName })
            .Select(g => new { g.Key.State, g.Key.GroupName, g.Key.ProfileName, g.Key.PoolName, Count = g.Count() }).ToListAsync(cancellationToken);
        var running = await db.Environments.Where(e => e.State == EnvironmentState.Running)
            .Select(e => new { User = e.User.Name, e.Name, e.GroupName, e.ProfileName, Since = e.LastActivityAt ?? e.StartedAt }).ToListAsync(cancellationToken);
        var firstDay = DateOnly.FromDateTime(month.UtcDateTime);
        var spend = await db.UsageDays.Where(u => u.Day >= firstDay).GroupBy(u => u.GroupName).Select(g => new { Group = g.Key, Cost = g.Sum(u => u.Cost) }).ToListAsync(cancellationToken);
        var budgets = await db.Groups.Where(g => g.Policy.MonthlyBudget != null).Select(g => new { g.Name, Budget = g.Policy.MonthlyBudget!.Value }).ToListAsync(cancellationToken);
        current = new Snapshot(
            counts.Select(c => new Measurement<long>(c.Count, Tag("state", c.State.ToString().ToLowerInvariant()), Tag("group", c.GroupName), Tag("profile", c.ProfileName), Tag("pool", c.PoolName))).ToList(),
            running.Select(r => new Measurement<double>(Math.Max(0, (now - (r.Since ?? now)).TotalSeconds), Tag("user", r.User), Tag("environment", r.Name), Tag("group", r.GroupName), Tag("profile", r.ProfileName))).ToList(),
            spend.Select(s => new Measurement<double>((double)s.Cost, Tag("group", s.Group))).ToList(),
            budgets.Select(b => new Measurement<double>((double)b.Budget, Tag("group", b.Name))).ToList());
    }

    public IEnumerable<Measurement<long>> Environments() => current.Environments;

    public IEnumerable<Measurement<double>> Idle() => current.Idle;

    public IEnumerable<Measurement<double>> GroupSpend() => current.Spend;

    public IEnumerable<Measurement<double>> GroupBudget() => current.Budgets;

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);

    private sealed record Snapshot(
        IReadOnlyList<Measurement<long>> Environments, IReadOnlyList<Measurement<double>> Idle, IReadOnlyList<Measurement<double>> Spend, IReadOnlyList<Measurement<double>> Budgets);
}
