using DevPlatform.Api;

namespace DevPlatform.Tenancy;

/// <summary>
/// A group's policy as an admin writes it. Quantities are Kubernetes quantities (<c>64</c> CPUs,
/// <c>512Gi</c>); a null limit means no limit; the budget is in the currency of the pool prices, per month. When it is
/// spent, new launches are refused; running environments keep going unless <see cref="StopAtBudget"/>.
/// </summary>
internal sealed record GroupPolicySpec(
    IReadOnlyList<string>? AllowedProfiles = null,
    int? MaxRunningEnvironmentsPerUser = null,
    string? CpuQuota = null,
    string? MemoryQuota = null,
    int? AcceleratorQuota = null,
    string? StorageQuota = null,
    decimal? MonthlyBudget = null,
    bool StopAtBudget = false,
    string? StorageSoftQuota = null,
    string? HomeQuota = null,
    string? HomeSoftQuota = null,
    IReadOnlyList<string>? SharedFolders = null,
    int? ScratchRetentionDays = null,
    bool SharedFoldersReadableByAll = false)
{
    public static GroupPolicySpec From(GroupPolicy p) => new(
        p.AllowedProfiles.ToList(), p.MaxRunningEnvironmentsPerUser, p.CpuQuota, p.MemoryQuota, p.AcceleratorQuota, p.StorageQuota, Decimals.Normalize(p.MonthlyBudget), p.StopAtBudget,
        p.StorageSoftQuota, p.HomeQuota, p.HomeSoftQuota, p.SharedFolders.ToList(), p.ScratchRetentionDays, p.SharedFoldersReadableByAll);
}
