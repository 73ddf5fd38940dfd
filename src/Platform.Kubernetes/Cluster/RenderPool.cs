using DevPlatform.Abstractions;

namespace DevPlatform.Kubernetes.Cluster;

/// <summary>One compute pool to render: its name, how it buys nodes, and what its accelerator kind says its nodes look like.</summary>
/// <param name="CapacityTypes">Karpenter capacity types: <c>spot</c>, <c>on-demand</c> or both.</param>
public sealed record RenderPool(string Name, IReadOnlyList<string> CapacityTypes, PoolNodes Nodes);
