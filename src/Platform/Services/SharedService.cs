namespace DevPlatform.Services;

/// <summary>
/// A long-running service admins define for groups (an MLflow tracking server, a database, a dashboard): its definition
/// (<see cref="Spec"/>, secrets apart and encrypted) and what the supervisor knows of the workload running it.
/// </summary>
internal sealed class SharedService
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    /// <summary>The <see cref="ServiceSpec"/> as JSON, without secret values.</summary>
    public required string Spec { get; set; }

    /// <summary>The secret variables (name → value) as one encrypted JSON object; null when there are none.</summary>
    public string? Secrets { get; set; }

    public ServiceState State { get; set; }

    public string? BackendState { get; set; }

    /// <summary>Where the workload listens (<c>http://127.0.0.1:40123</c>, or the cluster Service's address).</summary>
    public string? Endpoint { get; set; }

    /// <summary>The hub host supervising it (local processes live on one host).</summary>
    public string? Host { get; set; }

    public int Restarts { get; set; }

    public string? FailureReason { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal enum ServiceState
{
    /// <summary>An admin stopped it (or it was just defined stopped); the supervisor leaves it alone.</summary>
    Stopped,

    Starting,

    Running,

    /// <summary>It died or would not start; the supervisor tries again with back-off.</summary>
    Failed,
}

/// <summary>What happened to a service, in order: starts, deaths, restarts, stops.</summary>
internal sealed class ServiceEvent
{
    public long Id { get; set; }

    public Guid ServiceId { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Message { get; set; }
}
