using System.Text.Json;
using DevPlatform.Abstractions;

namespace DevPlatform.Plugins.Accelerators;

/// <summary>
/// General-purpose CPU nodes. Settings: <c>instanceTypes</c> (optional EC2 types; default: the c and m
/// families of current generations), <c>maxCpu</c>, <c>maxMemory</c>.
/// </summary>
internal sealed class CpuKind : IAcceleratorKind
{
    public string Name => "cpu";

    public string DisplayName => "CPU (general purpose)";

    public IReadOnlyList<ConfigurationError> ValidatePoolConfiguration(JsonElement configuration)
    {
        var reader = new PoolConfigurationReader(configuration, ["instanceTypes", .. PoolSettings.LimitFields]);
        reader.InstanceTypes("instanceTypes");
        PoolSettings.CheckLimits(reader);
        return reader.Errors;
    }

    public IReadOnlyList<ConfigurationError> ValidateRequest(JsonElement configuration, EnvironmentResources resources) =>
        resources.Accelerators > 0 ? PoolSettings.Refuse("accelerators", "a CPU pool has no accelerators; use 0, or put this size on a GPU or Neuron pool.") : [];

    public PoolNodes DescribeNodes(string poolName, JsonElement configuration) => PoolNodes.Default with
    {
        Requirements = PoolSettings.InstanceRequirements(configuration,
            new NodeRequirement("karpenter.k8s.aws/instance-category", "In", ["c", "m"]),
            new NodeRequirement("karpenter.k8s.aws/instance-generation", "Gt", ["5"])),
        Limits = PoolSettings.Limits(configuration),
    };
}
