using DevPlatform.Catalog;
using DevPlatform.Tenancy;

namespace DevPlatform.Environments;

/// <summary>A launch the policy has accepted: who, under which group, what exactly, at what hourly rate.</summary>
internal sealed record LaunchPlan(
    User User,
    Group Group,
    Profile Profile,
    string Image,
    ProfileSize Size,
    IReadOnlyList<PackageBundle> Bundles,
    decimal CpuRequest,
    long MemoryRequest,
    Costs.CostRate Cost,
    IReadOnlyList<Abstractions.StorageMount> Mounts)
{
    /// <summary>The storage and spend the limits compare against, read when the plan was made (see <see cref="LaunchPolicy.ReserveAsync"/>).</summary>
    public LimitReadings? Readings { get; init; }
}

/// <summary>The user's home and the group's folders from the last storage scan (bytes), the home's hard limit, and the group's month-to-date spend when it has a budget.</summary>
internal sealed record LimitReadings(long HomeBytes, long? HomeLimit, long GroupBytes, decimal? Spent);
