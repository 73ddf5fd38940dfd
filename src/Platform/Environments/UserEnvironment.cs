using DevPlatform.Tenancy;

namespace DevPlatform.Environments;

/// <summary>One named environment of a user: what was asked for, what it resolved to, and where it is.</summary>
internal sealed class UserEnvironment
{
    public Guid Id { get; set; }

    public long UserId { get; set; }

    public User User { get; set; } = null!;

    public required string Name { get; set; }

    public required string GroupName { get; set; }

    public required string ProfileName { get; set; }

    /// <summary>The launch request as the user sent it (JSON).</summary>
    public required string Request { get; set; }

    /// <summary>The resolved <see cref="Abstractions.EnvironmentSpec"/> (JSON), fixed at launch.</summary>
    public required string Spec { get; set; }

    public EnvironmentState State { get; set; }

    public required string Backend { get; set; }

    /// <summary>The backend's opaque state (JSON), kept so a restarted host can find the workload again.</summary>
    public string? BackendState { get; set; }

    public string? Endpoint { get; set; }

    public string? FailureReason { get; set; }

    public decimal CpuRequest { get; set; }

    public long MemoryRequest { get; set; }

    public int Accelerators { get; set; }

    public string PoolName { get; set; } = "";

    /// <summary>The host (<see cref="Hosting.HostNode"/>) running its current start or stop; others leave it alone while that host lives.</summary>
    public string? Host { get; set; }

    /// <summary>What it costs per hour, fixed at launch: its share of a node times the node's price (Costs.CostModel).</summary>
    public decimal HourlyRate { get; set; }

    /// <summary>Up to when its running time is in the usage records.</summary>
    public DateTimeOffset? MeteredUntil { get; set; }

    public int StartTimeoutSeconds { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? StoppedAt { get; set; }

    public DateTimeOffset? LastActivityAt { get; set; }

    /// <summary>When the user was warned this environment is about to be culled; cleared by new activity.</summary>
    public DateTimeOffset? CullWarnedAt { get; set; }
}
