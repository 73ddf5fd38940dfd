using DevPlatform.Kubernetes.Client;
using DevPlatform.Kubernetes.Compute;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace DevPlatform.Kubernetes.Services;

/// <summary>
/// Shared services on the cluster: their objects applied server-side (the Deployment restarts a crashed container
/// itself), their state read from the Deployment and its pod, deleted on stop (the data claim stays), logs from their pod.
/// </summary>
public sealed class KubernetesServices(IOptions<KubernetesOptions> options, Func<ClusterApi> connect)
{
    private readonly Lazy<ClusterApi> client = new(connect);

    private ClusterApi Client => client.Value;

    public string Namespace => string.IsNullOrEmpty(options.Value.Namespace) ? Client.DefaultNamespace : options.Value.Namespace;

    /// <summary>Applies every object (creating or updating them) and returns the address the hub proxies to.</summary>
    public async Task<Uri> ApplyAsync(ServiceWorkload service, CancellationToken cancellationToken)
    {
        var ns = Namespace;
        foreach (var item in ServiceObjects.All(service, ns, options.Value))
        {
            await Client.ApplyAsync(item, ns, cancellationToken);
        }

        return ServiceObjects.Endpoint(service, ns);
    }

    /// <summary>
    /// Running means a replica is available. Until then: progressing, in the words environments use (waiting for a node,
    /// pulling the image, crash loop), or failed when the pod cannot start without a change (image pull, bad config).
    /// </summary>
    public async Task<ServiceHealth> StatusAsync(ServiceWorkload service, CancellationToken cancellationToken)
    {
        var deployment = await Client.ReadDeploymentAsync(Namespace, ServiceObjects.NameOf(service), cancellationToken);
        if (deployment is null)
        {
            return new ServiceHealth(ServiceCondition.Gone, "its Deployment is gone");
        }

        if ((deployment.Status?.AvailableReplicas ?? 0) > 0)
        {
            return new ServiceHealth(ServiceCondition.Available, "available");
        }

        var pods = await Client.ListPodsAsync(Namespace, $"{ServiceObjects.ServiceIdLabel}={service.Id}", null, cancellationToken);
        if (pods.Items.OrderByDescending(p => p.Metadata.CreationTimestamp).FirstOrDefault(p => p.Metadata.DeletionTimestamp is null) is not { } pod)
        {
            return new ServiceHealth(ServiceCondition.Progressing, "0 of 1 replicas available: waiting for its pod to be created");
        }

        var events = await Client.EventsAboutAsync(Namespace, pod.Metadata.Name, cancellationToken);
        var warning = events.LastOrDefault(e => e.Type == "Warning") is { } last ? $"; {PodProgress.Describe(last)}" : "";
        var (status, fatal, _) = PodProgress.Status(pod);
        var waiting = pod.Status?.ContainerStatuses is [var container, ..] ? container.State?.Waiting?.Reason : null;
        return fatal is not null && waiting is not null && waiting != "CrashLoopBackOff"
            ? new ServiceHealth(ServiceCondition.Failed, fatal)
            : new ServiceHealth(ServiceCondition.Progressing, $"0 of 1 replicas available: {(fatal ?? status)}{warning}");
    }

    /// <summary>Removes the service's objects except its data claim.</summary>
    public async Task DeleteAsync(ServiceWorkload service, CancellationToken cancellationToken)
    {
        var name = ServiceObjects.NameOf(service);
        await Client.DeleteAsync<V1Deployment>(Namespace, name, cancellationToken);
        await Client.DeleteAsync<V1Service>(Namespace, name, cancellationToken);
        await Client.DeleteAsync<V1NetworkPolicy>(Namespace, name, cancellationToken);
        await Client.DeleteAsync<V1Secret>(Namespace, name, cancellationToken);
    }

    public async Task<string> ReadLogsAsync(ServiceWorkload service, int maxBytes, CancellationToken cancellationToken)
    {
        var pods = await Client.ListPodsAsync(Namespace, $"{ServiceObjects.ServiceIdLabel}={service.Id}", null, cancellationToken);
        var pod = pods.Items.Count > 0 ? pods.Items[0] : null;
        return pod is null ? "" : await Client.ReadPodLogAsync(Namespace, pod.Metadata.Name, ServiceObjects.ContainerName, 5000, maxBytes, cancellationToken) ?? "";
    }
}

public enum ServiceCondition
{
    Available,
    Progressing,
    Failed,
    Gone,
}

/// <param name="Detail">Why, in words: "available", "0 of 1 replicas available: Waiting for a node …".</param>
public sealed record ServiceHealth(ServiceCondition Condition, string Detail);
