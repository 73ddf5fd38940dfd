using DevPlatform.Abstractions;

namespace DevPlatform.Kubernetes.Services;

/// <summary>A shared service as the cluster runs it: one Deployment replica behind a ClusterIP Service.</summary>
/// <param name="Secrets">Values kept in a Secret and referenced from the pod, never written into the Deployment.</param>
/// <param name="AllowedGroups">Environments of these groups (pod label <c>devplatform.io/group</c>) and the hub may connect.</param>
public sealed record ServiceWorkload(
    Guid Id,
    string Name,
    string Image,
    IReadOnlyList<string> Command,
    int Port,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyDictionary<string, string> Secrets,
    EnvironmentResources Resources,
    string Pool,
    string? VolumeSize,
    string DataPath,
    IReadOnlyList<string> AllowedGroups);
