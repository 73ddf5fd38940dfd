namespace DevPlatform.Costs;

/// <summary>
/// One environment's use within one UTC hour: how long it ran, what it asked for, what it used where measured,
/// and what that cost. Rows outlive their environment, so reports keep deleted environments' history.
/// </summary>
internal sealed class UsageHour
{
    public long Id { get; set; }

    public Guid EnvironmentId { get; set; }

    public required string EnvironmentName { get; set; }

    public DateTimeOffset Hour { get; set; }

    public required string UserName { get; set; }

    public required string GroupName { get; set; }

    public required string ProfileName { get; set; }

    public required string PoolName { get; set; }

    public decimal CpuRequest { get; set; }

    public long MemoryRequest { get; set; }

    public int Accelerators { get; set; }

    /// <summary>Seconds it ran within the hour.</summary>
    public double Seconds { get; set; }

    /// <summary>Seconds of the hour for which the backend reported usage.</summary>
    public double MeasuredSeconds { get; set; }

    public double CpuUsedCoreSeconds { get; set; }

    public double MemoryUsedByteSeconds { get; set; }

    public decimal Cost { get; set; }
}
