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

    /// <summary>Warn the group's members when its folders (shared and scratch) pass this size; <see cref="StorageQuota"/> is the hard limit.</summary>
    public string? StorageSoftQuota { get; set; }

    /// <summary>Each member's home: refuse launches above <see cref="HomeQuota"/>, warn above <see cref="HomeSoftQuota"/> (the most generous of the user's groups applies).</summary>
    public string? HomeQuota { get; set; }

    public string? HomeSoftQuota { get; set; }

    /// <summary>The group's shared folders, linked into its members' environments as <c>~/shared/{group}/{folder}</c>.</summary>
    public List<string> SharedFolders { get; set; } = [];

    /// <summary>Non-members' environments see the group's shared folders too, read-only (members write).</summary>
    public bool SharedFoldersReadableByAll { get; set; }

    /// <summary>Days a file in the group's scratch folder is kept after its last change; null: no scratch folder.</summary>
    public int? ScratchRetentionDays { get; set; }
}
