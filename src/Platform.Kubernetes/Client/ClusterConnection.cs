using k8s;
using Microsoft.Extensions.Logging;

namespace DevPlatform.Kubernetes.Client;

/// <summary>
/// Where the cluster is: the kubeconfig named in <c>Kubernetes:KubeConfig</c> (and its context), else the pod's service
/// account, else <c>$KUBECONFIG</c> or <c>~/.kube/config</c> — loaded by the official client, which also runs exec
/// plugins (<c>aws eks get-token</c>) and caches their token until it expires.
/// </summary>
public static class ClusterConnection
{
    public static ClusterApi Connect(string? kubeConfig, string? context, ILogger logger, string fieldManager = ClusterApi.DefaultFieldManager)
    {
        var config = Configuration(kubeConfig, context);
        var api = new k8s.Kubernetes(config, new RetryHandler(logger));
        return new ClusterApi(api, string.IsNullOrEmpty(config.Namespace) ? "default" : config.Namespace, logger, fieldManager);
    }

    /// <summary>The official client's configuration; a broken kubeconfig or a missing exec plugin throws here, naming what is wrong.</summary>
    public static KubernetesClientConfiguration Configuration(string? kubeConfig, string? context)
    {
        if (string.IsNullOrEmpty(kubeConfig) && KubernetesClientConfiguration.IsInCluster())
        {
            return KubernetesClientConfiguration.InClusterConfig();
        }

        var path = !string.IsNullOrEmpty(kubeConfig) ? kubeConfig
            : Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()
            ?? KubernetesClientConfiguration.KubeConfigDefaultLocation;
        return KubernetesClientConfiguration.BuildConfigFromConfigFile(path, string.IsNullOrEmpty(context) ? null : context);
    }
}
