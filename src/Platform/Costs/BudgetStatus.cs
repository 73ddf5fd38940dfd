namespace DevPlatform.Costs;

/// <summary>A group's month so far: its budget, what it has spent, the share, and the thresholds it has crossed.</summary>
internal sealed record BudgetStatus(
    string Group, DateTimeOffset Month, decimal? MonthlyBudget, decimal Spent, decimal? Percent, bool StopAtBudget, IReadOnlyList<BudgetAlertView> Alerts);

internal sealed record BudgetAlertView(int Threshold, decimal Spent, DateTimeOffset At);
