namespace DevPlatform.Costs;

/// <summary>One EC2 instance type as the price file gives it: what a node offers pods, and its hourly prices (USD).</summary>
internal sealed record InstancePrice(decimal Vcpu, decimal MemoryGiB, decimal OnDemand, decimal? Spot);
