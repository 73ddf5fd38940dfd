using System.Text.Json.Nodes;
using DevPlatform.Kubernetes.Client;
using DevPlatform.Kubernetes.Compute;
using Microsoft.Extensions.Options;

namespace DevPlatform.Kubernetes.Services;

/// <summary>
/// Shared services on the cluster: their objects applied server-side (the Deployment restarts a crashed container
/// itself), their state read from the Deployment, deleted on stop (the data claim stays), logs from their pod.
/// </summary>
public sealed class KubernetesServices(IOptions<KubernetesOptions> options, Func<KubernetesClient> connect)
{
    private readonly Lazy<KubernetesClient> client = new(connect);

    private KubernetesClient Client => client.Value;

    public string Namespace => string.IsNullOrEmpty(options.Value.Namespace) ? Client.DefaultNamespace : options.Value.Namespace;

    /// <summary>Applies every object (creating or updating them) and returns the address the hub proxies to.</summary>
    public async Task<Uri> ApplyAsync(ServiceWorkload service, CancellationToken cancellationToken)
    {
        var ns = Namespace;
        foreach (var item in ServiceObjects.All(service, ns, options.Value))
        {
            var kind = ResourceKind.Known.First(k => k.ApiVersion == (string)item["apiVersion"]! && k.Kind == (string)item["kind"]!);
            await Client.ApplyAsync<JsonObject>(kind, ns, (string)item["metadata"]!["name"]!, item, force: true, cancellationToken);
        }

        return ServiceObjects.Endpoint(service, ns);
    }

    /// <summary>Whether the Deployment exists, and how many of its replicas are available.</summary>
    public async Task<(bool Exists, string Detail)> StatusAsync(ServiceWorkload service, CancellationToken cancellationToken)
    {
        var deployment = await Client.GetAsync<JsonObject>(ResourceKind.Deployments, Namespace, ServiceObjects.NameOf(service), cancellationToken);
        if (deployment is null)
        {
            return (false, "its Deployment is gone");
        }

        var available = (int?)deployment["status"]?["availableReplicas"] ?? 0;
        return (true, available > 0 ? "available" : "waiting for its pod to become ready");
    }

    /// <summary>Removes the service's objects except its data claim.</summary>
    public async Task DeleteAsync(ServiceWorkload service, CancellationToken cancellationToken)
    {
        var name = ServiceObjects.NameOf(service);
        foreach (var kind in new[] { ResourceKind.Deployments, ResourceKind.Services, ResourceKind.NetworkPolicies, ResourceKind.Secrets })
        {
            await Client.DeleteAsync(kind, Namespace, name, PropagationPolicy.Background, cancellationToken);
        }
    }

    public async Task<string> ReadLogsAsync(ServiceWorkload service, int maxBytes, CancellationToken cancellationToken)
    {
        var pods = await Client.ListAsync<JsonObject>(ResourceKind.Pods, Namespace, new ListOptions($"{ServiceObjects.ServiceIdLabel}={service.Id}"), cancellationToken);
        var pod = pods.Items.Count > 0 ? pods.Items[0] : null;
        return pod is null ? "" : await Client.ReadPodLogAsync(Namespace, (string)pod["metadata"]!["name"]!, "service", 5000, maxBytes, cancellationToken) ?? "";
    }
}
