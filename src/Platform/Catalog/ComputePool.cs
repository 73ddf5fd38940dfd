using DevPlatform.Resources;

namespace DevPlatform.Catalog;

internal sealed class ComputePool : INamedEntity
{
    public long Id { get; set; }

    public required string Name { get; set; }

    public string? DisplayName { get; set; }

    public required string AcceleratorKind { get; set; }

    /// <summary>The accelerator kind's configuration object, as JSON (a jsonb column).</summary>
    public string Configuration { get; set; } = "{}";

    public decimal OnDemandHourlyPrice { get; set; }

    public decimal? SpotHourlyPrice { get; set; }

    public CapacityType CapacityType { get; set; }

    /// <summary>The EC2 instance type whose price and size (from the price file) cost environments; null: the pool's own prices, a whole node each.</summary>
    public string? InstanceType { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
