using System.Text.Json;
using DevPlatform.Resources;

namespace DevPlatform.Catalog;

/// <summary>
/// A compute pool as an admin writes it: the accelerator kind it is built on (provided by a plugin),
/// that kind's configuration object, and hourly prices per node for on-demand and spot capacity.
/// </summary>
internal sealed record PoolSpec(
    string Name,
    string AcceleratorKind,
    decimal OnDemandHourlyPrice,
    string? DisplayName = null,
    JsonElement? Configuration = null,
    decimal? SpotHourlyPrice = null,
    CapacityType CapacityType = CapacityType.OnDemand) : INamedSpec;
