namespace DevPlatform.Kubernetes.Client;

/// <summary>
/// What the platform's service account must be allowed, as (API group, resource, verb) — the ClusterRole in
/// deploy/kubernetes/base/rbac.yaml grants exactly these (RbacTests derives them from what the API server authorised in a
/// full run), and <c>doctor</c> asks the API server about each. Server-side apply is a PATCH, authorised as
/// <c>patch</c>, and also as <c>create</c> when the object does not exist yet: every kind we apply needs both.
/// </summary>
public static class RequiredPermissions
{
    public static readonly IReadOnlyList<(string Group, string Resource, string Verb)> All =
    [
        ("", "pods", "get"), ("", "pods", "list"), ("", "pods", "watch"), ("", "pods", "create"), ("", "pods", "patch"), ("", "pods", "delete"), ("", "pods/log", "get"),
        ("", "services", "list"), ("", "services", "create"), ("", "services", "patch"), ("", "services", "delete"), ("", "secrets", "create"), ("", "secrets", "patch"), ("", "secrets", "delete"),
        ("", "persistentvolumeclaims", "create"), ("", "persistentvolumeclaims", "patch"), ("", "persistentvolumes", "create"), ("", "persistentvolumes", "patch"),
        ("", "namespaces", "create"), ("", "namespaces", "patch"), ("", "resourcequotas", "create"), ("", "resourcequotas", "patch"),
        ("", "limitranges", "create"), ("", "limitranges", "patch"), ("", "events", "list"),
        ("apps", "deployments", "get"), ("apps", "deployments", "create"), ("apps", "deployments", "patch"), ("apps", "deployments", "delete"),
        ("networking.k8s.io", "networkpolicies", "list"), ("networking.k8s.io", "networkpolicies", "create"), ("networking.k8s.io", "networkpolicies", "patch"), ("networking.k8s.io", "networkpolicies", "delete"),
        ("metrics.k8s.io", "pods", "list"),
    ];
}
