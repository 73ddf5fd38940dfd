using System.Text.Json;
using DevPlatform.Api;
using DevPlatform.Resources;

namespace DevPlatform.Catalog;

internal sealed record PoolResource(
    string Name, string? DisplayName, string AcceleratorKind, JsonElement Configuration, decimal OnDemandHourlyPrice,
    decimal? SpotHourlyPrice, CapacityType CapacityType, string? InstanceType, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt) : IResourceOf<ComputePool, PoolResource>
{
    public static PoolResource From(ComputePool p) => new(
        p.Name, p.DisplayName, p.AcceleratorKind, CanonicalJson.Parse(p.Configuration), Decimals.Normalize(p.OnDemandHourlyPrice),
        Decimals.Normalize(p.SpotHourlyPrice), p.CapacityType, p.InstanceType, p.CreatedAt, p.UpdatedAt);
}
