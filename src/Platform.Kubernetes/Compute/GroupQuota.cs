namespace DevPlatform.Kubernetes.Compute;

/// <summary>A group's limits as its namespace's ResourceQuota enforces them (null: no limit). Quantities as Kubernetes writes them.</summary>
public sealed record GroupQuota(string? Cpu, string? Memory, string? Storage);

/// <summary>Where the backend learns a group's quotas (the platform's group policies).</summary>
public interface IGroupQuotas
{
    Task<GroupQuota> FindAsync(string group, CancellationToken cancellationToken);
}
