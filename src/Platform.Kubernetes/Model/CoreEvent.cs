namespace DevPlatform.Kubernetes.Model;

/// <summary>A core/v1 Event about an object (scheduler, kubelet).</summary>
public sealed record CoreEvent(ObjectMeta Metadata, string? Type = null, string? Reason = null, string? Message = null);
