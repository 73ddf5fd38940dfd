namespace DevPlatform.Costs;

/// <summary>
/// The hourly records of one UTC day summed for one user, group, profile and pool — what reports, budgets and the spend
/// metrics read. Written only by PostgreSQL's triggers on <c>usage_hours</c> (migration UsageDays); read-only here.
/// </summary>
internal sealed class UsageDay
{
    public DateOnly Day { get; set; }

    public required string UserName { get; set; }

    public required string GroupName { get; set; }

    public required string ProfileName { get; set; }

    public required string PoolName { get; set; }

    /// <summary>How many hourly records are summed here (the day's row goes when none are left).</summary>
    public int Records { get; set; }

    public double Seconds { get; set; }

    public decimal CpuRequestedCoreSeconds { get; set; }

    public double CpuUsedCoreSeconds { get; set; }

    public double MemoryRequestedByteSeconds { get; set; }

    public double MemoryUsedByteSeconds { get; set; }

    public double AcceleratorSeconds { get; set; }

    public decimal Cost { get; set; }
}
