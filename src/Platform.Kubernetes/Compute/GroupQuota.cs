namespace DevPlatform.Kubernetes.Compute;

/// <summary>
/// A group's compute limits as its namespace's ResourceQuota enforces them (null: no limit). Quantities as Kubernetes
/// writes them. <paramref name="Accelerators"/> caps each extended resource in <paramref name="AcceleratorResources"/>
/// (the ones the pools' sizes request, e.g. <c>nvidia.com/gpu</c>, <c>aws.amazon.com/neuron</c>). Storage is not here:
/// see <see cref="GroupNamespace"/>.
/// </summary>
public sealed record GroupQuota(string? Cpu, string? Memory, int? Accelerators = null, IReadOnlyList<string>? AcceleratorResources = null);

/// <summary>Where the backend learns a group's quotas (the platform's group policies).</summary>
public interface IGroupQuotas
{
    Task<GroupQuota> FindAsync(string group, CancellationToken cancellationToken);
}
