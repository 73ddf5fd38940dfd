namespace DevPlatform.Costs;

/// <summary>
/// What an environment costs per hour: its <see cref="NodeShare"/> (0–1) of one node of its pool times the node's
/// hourly price at the pool's capacity type, and in words how that was reached.
/// </summary>
internal sealed record CostRate(decimal HourlyRate, decimal NodeShare, decimal NodeHourlyPrice, string Basis);
