namespace DevPlatform.Kubernetes.Client;

/// <summary>What happens to dependents on delete (DeleteOptions.propagationPolicy).</summary>
public enum PropagationPolicy
{
    Background,
    Foreground,
    Orphan,
}
