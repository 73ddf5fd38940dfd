namespace DevPlatform.Kubernetes.Client;

/// <summary>Every page of a list, and the resource version to watch from.</summary>
public sealed record KubernetesList<T>(IReadOnlyList<T> Items, string ResourceVersion);
