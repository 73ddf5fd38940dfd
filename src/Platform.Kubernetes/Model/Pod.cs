namespace DevPlatform.Kubernetes.Model;

/// <summary>A core/v1 Pod as we read it back: where it runs and how its container is doing.</summary>
public sealed record Pod(ObjectMeta Metadata, PodSpecView? Spec = null, PodStatus? Status = null);

public sealed record PodSpecView(string? NodeName = null);

public sealed record PodStatus(string? Phase = null, IReadOnlyList<PodCondition>? Conditions = null, IReadOnlyList<ContainerStatus>? ContainerStatuses = null);

public sealed record PodCondition(string Type, string Status, string? Reason = null, string? Message = null);

public sealed record ContainerStatus(string Name, ContainerState? State = null, bool Ready = false, int RestartCount = 0);

public sealed record ContainerState(ContainerStateWaiting? Waiting = null, ContainerStateRunning? Running = null, ContainerStateTerminated? Terminated = null);

public sealed record ContainerStateWaiting(string? Reason = null, string? Message = null);

public sealed record ContainerStateRunning(DateTimeOffset? StartedAt = null);

public sealed record ContainerStateTerminated(int ExitCode, string? Reason = null, string? Message = null);
