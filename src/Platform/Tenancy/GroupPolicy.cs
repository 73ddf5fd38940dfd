namespace DevPlatform.Tenancy;

/// <summary>What a group's members may launch and consume. Null limits mean "no limit"; no profiles means none allowed.</summary>
internal sealed class GroupPolicy
{
    public List<string> AllowedProfiles { get; set; } = [];

    public int? MaxRunningEnvironmentsPerUser { get; set; }

    public string? CpuQuota { get; set; }

    public string? MemoryQuota { get; set; }

    public int? AcceleratorQuota { get; set; }

    public string? StorageQuota { get; set; }

    public decimal? MonthlyBudget { get; set; }

    /// <summary>Stop the group's running environments once the month's budget is spent.</summary>
    public bool StopAtBudget { get; set; }
}
