using System.Text.Json;
using DevPlatform.Resources;

namespace DevPlatform.Catalog;

/// <summary>
/// A compute pool as an admin writes it: the accelerator kind it is built on (provided by a plugin),
/// that kind's configuration object, and hourly prices per node for on-demand and spot capacity. With
/// <see cref="InstanceType"/> (an entry of the price file) prices and node size come from the price file, and an
/// environment costs its share of the node.
/// </summary>
internal sealed record PoolSpec(
    string Name,
    string AcceleratorKind,
    decimal OnDemandHourlyPrice,
    string? DisplayName = null,
    JsonElement? Configuration = null,
    decimal? SpotHourlyPrice = null,
    CapacityType CapacityType = CapacityType.OnDemand,
    string? InstanceType = null) : INamedSpec;
