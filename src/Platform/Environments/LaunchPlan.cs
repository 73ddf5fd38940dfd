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
    IReadOnlyList<Abstractions.StorageMount> Mounts,
    LimitReadings Readings);
