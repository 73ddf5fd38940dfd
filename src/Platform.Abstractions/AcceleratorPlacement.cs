namespace DevPlatform.Abstractions;

/// <summary>
/// What an accelerator kind adds to one workload on Kubernetes: extended resources (set as both request and
/// limit, e.g. <c>nvidia.com/gpu: 2</c>), tolerations for its nodes' taints, node labels to select, and
/// environment variables.
/// </summary>
public sealed record AcceleratorPlacement(
    IReadOnlyDictionary<string, string> Resources,
    IReadOnlyList<NodeToleration> Tolerations,
    IReadOnlyDictionary<string, string> NodeSelector,
    IReadOnlyDictionary<string, string> Environment)
{
    public static readonly AcceleratorPlacement None = new(new Dictionary<string, string>(), [], new Dictionary<string, string>(), new Dictionary<string, string>());
}

/// <param name="Operator"><c>Exists</c> (no value) or <c>Equal</c>.</param>
/// <param name="Effect"><c>NoSchedule</c>, <c>PreferNoSchedule</c> or <c>NoExecute</c>.</param>
public sealed record NodeToleration(string Key, string Operator, string? Value, string Effect);
