using System.Globalization;
using System.Text.Json;
using DevPlatform.Abstractions;

namespace DevPlatform.Plugins.Accelerators;

/// <summary>
/// NVIDIA GPUs shared by time-slicing: the device plugin advertises each GPU <c>replicas</c> times as
/// <c>nvidia.com/gpu.shared</c> (renameByDefault, so nobody mistakes a slice for a whole GPU). Each
/// environment gets one replica: time slices share memory and compute, so asking for more buys nothing
/// (NVIDIA's own warning). Settings: <c>gpuModel</c>, <c>gpusPerNode</c>, <c>replicas</c> (2–16),
/// <c>instanceTypes</c>, <c>maxCpu</c>, <c>maxMemory</c>, <c>maxAccelerators</c> (GPUs in the pool).
/// </summary>
internal sealed class NvidiaTimeSlicingKind : IAcceleratorKind
{
    public string Name => "nvidia-timeslicing";

    public string DisplayName => "NVIDIA GPU (time-sliced, shared)";

    public IReadOnlyList<ConfigurationError> ValidatePoolConfiguration(JsonElement configuration)
    {
        var reader = new PoolConfigurationReader(configuration, ["gpuModel", "gpusPerNode", "replicas", "instanceTypes", "maxAccelerators", .. PoolSettings.LimitFields]);
        reader.OneOf("gpuModel", [.. NvidiaGpus.Names], required: true);
        reader.Integer("gpusPerNode", 1, 16, required: true);
        reader.Integer("replicas", 2, 16, required: true);
        reader.InstanceTypes("instanceTypes");
        PoolSettings.CheckLimits(reader, "maxAccelerators");
        return reader.Errors;
    }

    public IReadOnlyList<ConfigurationError> ValidateRequest(JsonElement configuration, EnvironmentResources resources) => resources.Accelerators == 1
        ? []
        : PoolSettings.Refuse("accelerators", $"a time-sliced GPU pool gives each environment one shared slice: use 1 (got {resources.Accelerators}); for more GPU, use an nvidia-gpu pool.");

    /// <summary>Each GPU is advertised <c>replicas</c> times; a size takes one of those.</summary>
    public int? AcceleratorsPerNode(JsonElement configuration) =>
        PoolSettings.Integer(configuration, "gpusPerNode", 1) * PoolSettings.Integer(configuration, "replicas", 2);

    public AcceleratorPlacement Place(JsonElement configuration, EnvironmentResources resources) => NvidiaGpus.Placement(NvidiaGpus.SharedResource, 1);

    public PoolNodes DescribeNodes(string poolName, JsonElement configuration)
    {
        var replicas = PoolSettings.Integer(configuration, "replicas", 2);
        var gpus = PoolSettings.Integer(configuration, "gpusPerNode", 1);
        var config = $"""
            version: v1
            flags:
              migStrategy: none
            sharing:
              timeSlicing:
                renameByDefault: true
                failRequestsGreaterThanOne: true
                resources:
                - name: nvidia.com/gpu
                  replicas: {replicas}

            """;
        var nodes = NvidiaGpus.Nodes(
            PoolSettings.String(configuration, "gpuModel")!,
            PoolSettings.InstanceRequirements(configuration, new NodeRequirement("karpenter.k8s.aws/instance-gpu-count", "In", [gpus.ToString(CultureInfo.InvariantCulture)])),
            PoolSettings.Limits(configuration, NvidiaGpus.Resource));
        return nodes with { Labels = PoolSettings.Map((NvidiaGpus.ConfigLabel, poolName)), DeviceManifests = [NvidiaGpus.DevicePluginConfig(poolName, config)] };
    }
}
