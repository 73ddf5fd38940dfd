using DevPlatform.Kubernetes.Client;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace DevPlatform.Kubernetes.Compute;

/// <summary>
/// Usage reads for many environments from one LIST of our pods' PodMetrics (metrics.k8s.io), refreshed when older than
/// <see cref="MaxAge"/> — metrics-server samples every 15 s, so a per-pod GET each minute for thousands of environments
/// would only add load. When the metrics API is missing or refuses us, usage is unknown for <see cref="Pause"/>
/// instead of every read failing slowly.
/// </summary>
public sealed class PodMetricsCache(Func<ClusterApi> client, Func<string?> scope, TimeProvider time, ILogger logger) : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan Pause = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim gate = new(1, 1);
    private Dictionary<(string Namespace, string Name), PodMetrics> byPod = [];
    private DateTimeOffset fetchedAt = DateTimeOffset.MinValue;
    private DateTimeOffset pausedUntil = DateTimeOffset.MinValue;

    public async Task<PodMetrics?> FindAsync(string ns, string name, CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() < pausedUntil)
        {
            return null;
        }

        if (time.GetUtcNow() - fetchedAt > MaxAge)
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                if (time.GetUtcNow() - fetchedAt > MaxAge && time.GetUtcNow() >= pausedUntil)
                {
                    await RefreshAsync(cancellationToken);
                }
            }
            finally
            {
                gate.Release();
            }
        }

        return byPod.GetValueOrDefault((ns, name));
    }

    public void Dispose() => gate.Dispose();

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            var samples = await client().ListPodMetricsAsync(scope(), $"{WorkloadObjects.ManagedBy}={WorkloadObjects.ManagerName}", cancellationToken);
            byPod = samples.Where(m => m.Metadata?.Name is not null).ToDictionary(m => (m.Metadata.NamespaceProperty ?? "", m.Metadata.Name));
            fetchedAt = time.GetUtcNow();
        }
        catch (KubernetesApiException e)
        {
            logger.LogWarning("The metrics API (metrics-server) answered {Status}: {Message}; environment usage is unknown for the next {Minutes} min", (int)e.Status, e.ServerMessage, Pause.TotalMinutes);
            byPod = [];
            pausedUntil = time.GetUtcNow() + Pause;
        }
    }
}
