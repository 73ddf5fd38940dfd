using DevPlatform.Environments;
using DevPlatform.Metrics;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Costs;

/// <summary>
/// Monthly budgets per group. Each pass: a group whose spend crossed 50, 80, 90 or 100% of its budget gets that
/// alert once (the database's unique key decides, so two hosts never both fire it), and every running environment of
/// the group gets an event saying so. At 100% launches are refused (the launch policy); running environments are
/// stopped only when the group's policy says <c>stopAtBudget</c>.
/// </summary>
internal sealed class Budgets(
    PlatformDbContext db, GroupSpend spend, EnvironmentLifecycle lifecycle, EnvironmentRecorder recorder, TimeProvider time, PlatformMetrics metrics, ILogger<Budgets> logger)
{
    public static readonly int[] Thresholds = [50, 80, 90, 100];

    public async Task<string> EnforceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var month = GroupSpend.MonthStart(now);
        var groups = await db.Groups.AsNoTracking().Where(g => g.Policy.MonthlyBudget != null)
            .Select(g => new { g.Name, Budget = g.Policy.MonthlyBudget!.Value, g.Policy.StopAtBudget }).ToListAsync(cancellationToken);
        int fired = 0, stopped = 0;
        foreach (var group in groups)
        {
            var spent = await spend.MonthToDateAsync(group.Name, cancellationToken);
            foreach (var threshold in Thresholds.Where(t => spent >= group.Budget * t / 100))
            {
                var inserted = await db.Database.ExecuteSqlInterpolatedAsync(
                    $"INSERT INTO budget_alerts (group_name, month, threshold, spent, budget, at) VALUES ({group.Name}, {month}, {threshold}, {decimal.Round(spent, 6)}, {group.Budget}, {now}) ON CONFLICT DO NOTHING",
                    cancellationToken);
                if (inserted == 1)
                {
                    fired++;
                    metrics.BudgetAlerts.Add(1, new("group", group.Name), new("threshold", threshold));
                    logger.LogWarning("Group {Group} has spent {Spent:0.00} of its monthly budget {Budget:0.00} ({Threshold}%)", group.Name, spent, group.Budget, threshold);
                    await TellRunningAsync(group.Name, threshold == 100
                        ? $"Group '{group.Name}' has spent its monthly budget ({spent:0.00} of {group.Budget:0.00}): new launches are refused until next month{(group.StopAtBudget ? " and running environments are stopped" : "")}."
                        : $"Group '{group.Name}' has spent {threshold}% of its monthly budget ({spent:0.00} of {group.Budget:0.00}).", cancellationToken);
                }
            }

            if (group.StopAtBudget && spent >= group.Budget)
            {
                var running = await db.Environments.Where(e => e.GroupName == group.Name && e.State == EnvironmentState.Running).Select(e => e.Id).ToListAsync(cancellationToken);
                foreach (var id in running)
                {
                    await lifecycle.StopAsync(id, $"Stopped: group '{group.Name}' has spent its monthly budget ({spent:0.00} of {group.Budget:0.00}) and its policy stops environments then; the home is kept.", cancellationToken);
                    stopped++;
                }
            }
        }

        return $"{groups.Count} group(s) with a budget: {fired} threshold(s) crossed, {stopped} environment(s) stopped.";
    }

    public async Task<BudgetStatus> StatusAsync(string group, CancellationToken cancellationToken)
    {
        var month = GroupSpend.MonthStart(time.GetUtcNow());
        var policy = await db.Groups.AsNoTracking().Where(g => g.Name == group).Select(g => new { g.Policy.MonthlyBudget, g.Policy.StopAtBudget }).FirstAsync(cancellationToken);
        var spent = decimal.Round(await spend.MonthToDateAsync(group, cancellationToken), 2);
        var alerts = await db.BudgetAlerts.AsNoTracking().Where(a => a.GroupName == group && a.Month == month).OrderBy(a => a.Threshold)
            .Select(a => new BudgetAlertView(a.Threshold, a.Spent, a.At)).ToListAsync(cancellationToken);
        decimal? percent = policy.MonthlyBudget is > 0 and var budget ? decimal.Round(spent * 100 / budget, 1) : null;
        return new BudgetStatus(group, month, policy.MonthlyBudget, spent, percent, policy.StopAtBudget, alerts);
    }

    private async Task TellRunningAsync(string group, string message, CancellationToken cancellationToken)
    {
        var running = await db.Environments.Where(e => e.GroupName == group && e.State == EnvironmentState.Running).ToListAsync(cancellationToken);
        foreach (var environment in running)
        {
            await recorder.ProgressAsync(db, environment, message, cancellationToken);
        }
    }
}
