using System.Text.Json.Nodes;

namespace DevPlatform.Abstractions;

/// <summary>
/// What a pool's nodes look like, for rendering its Karpenter <c>NodePool</c>: scheduling requirements
/// (well-known labels such as <c>karpenter.k8s.aws/instance-family</c>), taints, labels put on the nodes,
/// per-pool resource limits, and cluster objects the kind's device plugin needs (e.g. the NVIDIA
/// time-slicing ConfigMap), as JSON objects.
/// </summary>
public sealed record PoolNodes(
    IReadOnlyList<NodeRequirement> Requirements,
    IReadOnlyList<NodeTaint> Taints,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Limits,
    IReadOnlyList<JsonObject> DeviceManifests)
{
    public static readonly PoolNodes Default = new([], [], new Dictionary<string, string>(), new Dictionary<string, string>(), []);
}

/// <param name="Operator">In, NotIn, Exists, DoesNotExist, Gt, Lt.</param>
public sealed record NodeRequirement(string Key, string Operator, IReadOnlyList<string> Values);

public sealed record NodeTaint(string Key, string? Value, string Effect);
