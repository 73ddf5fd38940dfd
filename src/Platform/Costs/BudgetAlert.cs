namespace DevPlatform.Costs;

/// <summary>A group's spend crossed a share of its monthly budget (50, 80, 90, 100%); recorded once per month and threshold.</summary>
internal sealed class BudgetAlert
{
    public long Id { get; set; }

    public required string GroupName { get; set; }

    /// <summary>The first instant of the UTC month.</summary>
    public DateTimeOffset Month { get; set; }

    public int Threshold { get; set; }

    public decimal Spent { get; set; }

    public decimal Budget { get; set; }

    public DateTimeOffset At { get; set; }
}
