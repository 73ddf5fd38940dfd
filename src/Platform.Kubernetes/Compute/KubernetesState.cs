namespace DevPlatform.Kubernetes.Compute;

/// <summary>What the backend persists per environment: where its objects are.</summary>
public sealed record KubernetesState(string Namespace, string Name, string HomeClaim);
