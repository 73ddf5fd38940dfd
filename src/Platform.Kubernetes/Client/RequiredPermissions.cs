namespace DevPlatform.Kubernetes.Client;

/// <summary>
/// What the platform's service account must be allowed, as (API group, resource, verb) — the ClusterRole in
/// deploy/kubernetes/base/rbac.yaml grants exactly these (RbacTests derives them from a full run's requests), and
/// <c>doctor</c> asks the API server about each.
/// </summary>
public static class RequiredPermissions
{
    public static readonly IReadOnlyList<(string Group, string Resource, string Verb)> All =
    [
        ("", "pods", "get"), ("", "pods", "list"), ("", "pods", "watch"), ("", "pods", "patch"), ("", "pods", "delete"), ("", "pods/log", "get"),
        ("", "services", "patch"), ("", "services", "delete"), ("", "secrets", "patch"), ("", "secrets", "delete"),
        ("", "persistentvolumeclaims", "patch"), ("", "persistentvolumes", "patch"), ("", "namespaces", "patch"), ("", "resourcequotas", "patch"),
        ("", "limitranges", "patch"), ("", "events", "list"),
        ("apps", "deployments", "get"), ("apps", "deployments", "patch"), ("apps", "deployments", "delete"),
        ("networking.k8s.io", "networkpolicies", "patch"), ("networking.k8s.io", "networkpolicies", "delete"),
        ("metrics.k8s.io", "pods", "list"),
    ];
}
