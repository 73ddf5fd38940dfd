namespace DevPlatform.Kubernetes.Compute;

/// <summary>
/// A group's limits as its namespace's ResourceQuota enforces them (null: no limit). Quantities as Kubernetes
/// writes them. <paramref name="Accelerators"/> caps each extended resource in <paramref name="AcceleratorResources"/>
/// (the ones the pools' sizes request, e.g. <c>nvidia.com/gpu</c>, <c>aws.amazon.com/neuron</c>).
/// </summary>
public sealed record GroupQuota(string? Cpu, string? Memory, string? Storage, int? Accelerators = null, IReadOnlyList<string>? AcceleratorResources = null);

/// <summary>Where the backend learns a group's quotas (the platform's group policies).</summary>
public interface IGroupQuotas
{
    Task<GroupQuota> FindAsync(string group, CancellationToken cancellationToken);
}
