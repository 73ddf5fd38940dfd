using System.Text.Json;
using DevPlatform.Abstractions;

namespace DevPlatform.Plugins.Accelerators;

/// <summary>
/// Memory-optimised nodes for sizes of 256–512 GiB (EC2 r and x families with at least 256 GiB, so a
/// 512 GiB size lands on a larger node). Settings: <c>instanceTypes</c>, <c>maxCpu</c>, <c>maxMemory</c>.
/// </summary>
internal sealed class MemoryOptimisedKind : IAcceleratorKind
{
    public const long MinimumBytes = 256L * 1024 * 1024 * 1024;
    public const long MaximumBytes = 512L * 1024 * 1024 * 1024;

    public string Name => "memory-optimised";

    public string DisplayName => "Memory-optimised (256–512 GiB)";

    public IReadOnlyList<ConfigurationError> ValidatePoolConfiguration(JsonElement configuration)
    {
        var reader = new PoolConfigurationReader(configuration, ["instanceTypes", .. PoolSettings.LimitFields]);
        reader.InstanceTypes("instanceTypes");
        PoolSettings.CheckLimits(reader);
        return reader.Errors;
    }

    public IReadOnlyList<ConfigurationError> ValidateRequest(JsonElement configuration, EnvironmentResources resources)
    {
        if (resources.Accelerators > 0)
        {
            return PoolSettings.Refuse("accelerators", "a memory-optimised pool has no accelerators; use 0.");
        }

        return resources.MemoryLimit is < MinimumBytes or > MaximumBytes
            ? PoolSettings.Refuse("memoryLimit", $"sizes on a memory-optimised pool have a memory limit from 256Gi to 512Gi; got {resources.MemoryLimit / (1024 * 1024 * 1024)}Gi. Smaller sizes belong on a cpu pool.")
            : [];
    }

    public PoolNodes DescribeNodes(string poolName, JsonElement configuration) => PoolNodes.Default with
    {
        Requirements = PoolSettings.InstanceRequirements(configuration,
            new NodeRequirement("karpenter.k8s.aws/instance-category", "In", ["r", "x"]),
            new NodeRequirement("karpenter.k8s.aws/instance-memory", "Gt", ["262143"])),
        Limits = PoolSettings.Limits(configuration),
    };
}
