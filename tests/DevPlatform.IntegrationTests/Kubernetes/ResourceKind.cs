namespace DevPlatform.IntegrationTests.Kubernetes;

/// <summary>Where a kind lives in the REST API: <c>/api/v1/namespaces/{ns}/pods</c>, <c>/apis/karpenter.sh/v1/nodepools</c>.</summary>
public sealed record ResourceKind(string ApiVersion, string Kind, string Plural, bool Namespaced)
{
    public static readonly ResourceKind Pods = new("v1", "Pod", "pods", true);
    public static readonly ResourceKind Services = new("v1", "Service", "services", true);
    public static readonly ResourceKind PersistentVolumeClaims = new("v1", "PersistentVolumeClaim", "persistentvolumeclaims", true);
    public static readonly ResourceKind PersistentVolumes = new("v1", "PersistentVolume", "persistentvolumes", false);
    public static readonly ResourceKind ConfigMaps = new("v1", "ConfigMap", "configmaps", true);
    public static readonly ResourceKind Events = new("v1", "Event", "events", true);
    public static readonly ResourceKind Namespaces = new("v1", "Namespace", "namespaces", false);
    public static readonly ResourceKind ResourceQuotas = new("v1", "ResourceQuota", "resourcequotas", true);
    public static readonly ResourceKind LimitRanges = new("v1", "LimitRange", "limitranges", true);
    public static readonly ResourceKind Secrets = new("v1", "Secret", "secrets", true);
    public static readonly ResourceKind Deployments = new("apps/v1", "Deployment", "deployments", true);
    public static readonly ResourceKind NetworkPolicies = new("networking.k8s.io/v1", "NetworkPolicy", "networkpolicies", true);
    public static readonly ResourceKind NodePools = new("karpenter.sh/v1", "NodePool", "nodepools", false);
    public static readonly ResourceKind Ec2NodeClasses = new("karpenter.k8s.aws/v1", "EC2NodeClass", "ec2nodeclasses", false);

    /// <summary>metrics-server's current usage of a pod (read-only; 404 when metrics-server is absent or has no sample yet).</summary>
    public static readonly ResourceKind PodMetrics = new("metrics.k8s.io/v1beta1", "PodMetrics", "pods", true);

    public static readonly IReadOnlyList<ResourceKind> Known =
        [Pods, Services, Secrets, Deployments, PersistentVolumeClaims, PersistentVolumes, ConfigMaps, Events, Namespaces, ResourceQuotas, LimitRanges, NetworkPolicies, NodePools, Ec2NodeClasses, PodMetrics];

    /// <summary>
    /// The collection path, e.g. <c>/api/v1/namespaces/lab/pods</c>; for a namespaced kind without a namespace,
    /// every namespace (<c>/api/v1/pods</c>, for list and watch). The namespace is ignored for cluster-scoped kinds.
    /// </summary>
    public string CollectionPath(string? ns)
    {
        var root = ApiVersion.Contains('/', StringComparison.Ordinal) ? $"/apis/{ApiVersion}" : $"/api/{ApiVersion}";
        return Namespaced && !string.IsNullOrEmpty(ns) ? $"{root}/namespaces/{Uri.EscapeDataString(ns)}/{Plural}" : $"{root}/{Plural}";
    }

    public string ObjectPath(string? ns, string name)
    {
        if (Namespaced && string.IsNullOrEmpty(ns))
        {
            throw new ArgumentException($"{Kind} is namespaced; give a namespace.", nameof(ns));
        }

        return $"{CollectionPath(ns)}/{Uri.EscapeDataString(name)}";
    }

    public static ResourceKind Of(string apiVersion, string kind) =>
        Known.FirstOrDefault(k => k.ApiVersion == apiVersion && k.Kind == kind)
        ?? throw new ArgumentException($"{apiVersion} {kind} is not a kind this client knows; add it to ResourceKind.Known.", nameof(kind));
}
