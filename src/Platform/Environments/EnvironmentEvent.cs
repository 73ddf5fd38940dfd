namespace DevPlatform.Environments;

/// <summary>A state change or a progress line of one environment, with its time.</summary>
internal sealed class EnvironmentEvent
{
    public long Id { get; set; }

    public Guid EnvironmentId { get; set; }

    public DateTimeOffset At { get; set; }

    public EnvironmentState State { get; set; }

    /// <summary>True for a state change; false for a progress line within a state.</summary>
    public bool Transition { get; set; }

    public required string Message { get; set; }
}
