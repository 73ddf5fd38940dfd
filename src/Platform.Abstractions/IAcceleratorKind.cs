using System.Text.Json;

namespace DevPlatform.Abstractions;

/// <summary>
/// A hardware tier a compute pool can be built on (cpu, nvidia-gpu, …). Pools are data and name their
/// kind; the kind is code: it checks the pool's free-form configuration and each size's request, and says
/// what a workload needs (<see cref="Place"/>) and what the pool's nodes look like (<see cref="DescribeNodes"/>).
/// The last three have defaults, so a kind written for an earlier host still loads.
/// </summary>
public interface IAcceleratorKind : INamedStrategy
{
    string DisplayName { get; }

    /// <summary>Checks a pool's <c>configuration</c> object; an empty list means it is valid.</summary>
    IReadOnlyList<ConfigurationError> ValidatePoolConfiguration(JsonElement configuration);

    /// <summary>Checks one size a profile offers on a pool of this kind (its configuration is already valid).</summary>
    IReadOnlyList<ConfigurationError> ValidateRequest(JsonElement configuration, EnvironmentResources resources) => [];

    /// <summary>What a workload of this size on this pool needs from Kubernetes.</summary>
    AcceleratorPlacement Place(JsonElement configuration, EnvironmentResources resources) => AcceleratorPlacement.None;

    /// <summary>
    /// How many of the units a size counts in <c>accelerators</c> one node of this pool holds (whole GPUs, MIG slices,
    /// time-sliced replicas, Neuron devices or cores), so an environment's cost is its share of the node; null: none.
    /// </summary>
    int? AcceleratorsPerNode(JsonElement configuration) => null;

    /// <summary>What this pool's nodes look like, for its Karpenter NodePool and device plugin configuration.</summary>
    PoolNodes DescribeNodes(string poolName, JsonElement configuration) => PoolNodes.Default;
}
