using System.Globalization;
using System.Text.Json;
using DevPlatform.Abstractions;

namespace DevPlatform.Plugins.Accelerators;

/// <summary>
/// MIG slices of NVIDIA A100/H100/H200 GPUs with the mixed strategy: each slice is its own resource
/// (<c>nvidia.com/mig-1g.10gb</c>). Every GPU on the pool's nodes is cut into one profile (the GPU
/// operator's MIG manager applies <c>nvidia.com/mig.config=all-{profile}</c>). Settings: <c>gpuModel</c>
/// (MIG-capable), <c>profile</c> (one of the model's real profiles), <c>gpusPerNode</c>, <c>instanceTypes</c>,
/// <c>maxCpu</c>, <c>maxMemory</c>, <c>maxAccelerators</c> (slices in the pool).
/// </summary>
internal sealed class NvidiaMigKind : IAcceleratorKind
{
    public const string MigConfigLabel = "nvidia.com/mig.config";

    public string Name => "nvidia-mig";

    public string DisplayName => "NVIDIA GPU (MIG slice)";

    public IReadOnlyList<ConfigurationError> ValidatePoolConfiguration(JsonElement configuration)
    {
        var reader = new PoolConfigurationReader(configuration, ["gpuModel", "profile", "gpusPerNode", "instanceTypes", "maxAccelerators", .. PoolSettings.LimitFields]);
        reader.OneOf("gpuModel", [.. NvidiaGpus.MigCapable], required: true);
        reader.Integer("gpusPerNode", 1, 16, required: true);
        reader.InstanceTypes("instanceTypes");
        PoolSettings.CheckLimits(reader, "maxAccelerators");
        var errors = reader.Errors.ToList();
        var model = PoolSettings.String(configuration, "gpuModel");
        var profile = PoolSettings.String(configuration, "profile");
        if (model is not null && NvidiaGpus.Models.TryGetValue(model, out var gpu) && gpu.MigProfiles.Count > 0 && (profile is null || !gpu.MigProfiles.ContainsKey(profile)))
        {
            errors.Add(new ConfigurationError("profile", $"must be one of the {model} MIG profiles: {string.Join(", ", gpu.MigProfiles.Keys)}; got {(profile is null ? "nothing" : $"'{profile}'")}."));
        }

        return errors;
    }

    public IReadOnlyList<ConfigurationError> ValidateRequest(JsonElement configuration, EnvironmentResources resources)
    {
        var slices = SlicesPerNode(configuration);
        return resources.Accelerators < 1 || resources.Accelerators > slices
            ? PoolSettings.Refuse("accelerators", $"a size on this MIG pool asks for 1 to {slices} {Profile(configuration)} slices (what one node holds); got {resources.Accelerators}.")
            : [];
    }

    public int? AcceleratorsPerNode(JsonElement configuration) => SlicesPerNode(configuration);

    public AcceleratorPlacement Place(JsonElement configuration, EnvironmentResources resources) => NvidiaGpus.Placement(Resource(configuration), resources.Accelerators);

    public PoolNodes DescribeNodes(string poolName, JsonElement configuration)
    {
        var gpus = PoolSettings.Integer(configuration, "gpusPerNode", 1);
        var nodes = NvidiaGpus.Nodes(
            PoolSettings.String(configuration, "gpuModel")!,
            PoolSettings.InstanceRequirements(configuration, new NodeRequirement("karpenter.k8s.aws/instance-gpu-count", "In", [gpus.ToString(CultureInfo.InvariantCulture)])),
            PoolSettings.Limits(configuration, Resource(configuration)));
        const string config = """
            version: v1
            flags:
              migStrategy: mixed

            """;
        return nodes with
        {
            Labels = PoolSettings.Map((NvidiaGpus.ConfigLabel, poolName), (MigConfigLabel, $"all-{Profile(configuration)}")),
            DeviceManifests = [NvidiaGpus.DevicePluginConfig(poolName, config)],
        };
    }

    private static string Profile(JsonElement configuration) => PoolSettings.String(configuration, "profile")!;

    private static string Resource(JsonElement configuration) => $"nvidia.com/mig-{Profile(configuration)}";

    private static int SlicesPerNode(JsonElement configuration) =>
        NvidiaGpus.Models[PoolSettings.String(configuration, "gpuModel")!].MigProfiles[Profile(configuration)] * PoolSettings.Integer(configuration, "gpusPerNode", 1);
}
