using System.Text.Json;
using DevPlatform.Abstractions;

namespace DevPlatform.Plugins.Accelerators;

/// <summary>
/// Whole NVIDIA GPUs (<c>nvidia.com/gpu</c>). Settings: <c>gpuModel</c> (required), <c>gpusPerNode</c>
/// (required, 1–16), <c>instanceTypes</c>, <c>maxCpu</c>, <c>maxMemory</c>, <c>maxAccelerators</c> (GPUs in the pool).
/// </summary>
internal sealed class NvidiaGpuKind : IAcceleratorKind
{
    public static readonly IReadOnlyList<string> Models = NvidiaGpus.Names;

    public string Name => "nvidia-gpu";

    public string DisplayName => "NVIDIA GPU (whole devices)";

    public IReadOnlyList<ConfigurationError> ValidatePoolConfiguration(JsonElement configuration)
    {
        var reader = new PoolConfigurationReader(configuration, ["gpuModel", "gpusPerNode", "instanceTypes", "maxAccelerators", .. PoolSettings.LimitFields]);
        reader.OneOf("gpuModel", [.. Models], required: true);
        reader.Integer("gpusPerNode", 1, 16, required: true);
        reader.InstanceTypes("instanceTypes");
        PoolSettings.CheckLimits(reader, "maxAccelerators");
        return reader.Errors;
    }

    public IReadOnlyList<ConfigurationError> ValidateRequest(JsonElement configuration, EnvironmentResources resources)
    {
        var perNode = PoolSettings.Integer(configuration, "gpusPerNode", 1);
        return resources.Accelerators < 1 || resources.Accelerators > perNode
            ? PoolSettings.Refuse("accelerators", $"a size on this GPU pool asks for 1 to {perNode} whole GPUs (its nodes have {perNode}); got {resources.Accelerators}.")
            : [];
    }

    public int? AcceleratorsPerNode(JsonElement configuration) => PoolSettings.Integer(configuration, "gpusPerNode", 1);

    public AcceleratorPlacement Place(JsonElement configuration, EnvironmentResources resources) => NvidiaGpus.Placement(NvidiaGpus.Resource, resources.Accelerators);

    public PoolNodes DescribeNodes(string poolName, JsonElement configuration) => NvidiaGpus.Nodes(
        PoolSettings.String(configuration, "gpuModel")!,
        PoolSettings.InstanceRequirements(configuration, new NodeRequirement("karpenter.k8s.aws/instance-gpu-count", "In", [PoolSettings.Integer(configuration, "gpusPerNode", 1).ToString(System.Globalization.CultureInfo.InvariantCulture)])),
        PoolSettings.Limits(configuration, NvidiaGpus.Resource));
}
