using DevPlatform.Abstractions;

namespace DevPlatform.Plugins.Accelerators;

/// <summary>
/// The NVIDIA GPUs EC2 offers, as Karpenter labels them (<c>karpenter.k8s.aws/instance-gpu-name</c>, and
/// per-GPU memory in MiB where one name covers two sizes), and the MIG profiles each supports with how many
/// instances of a profile fit on one GPU (NVIDIA MIG user guide, "Supported MIG Profiles"; media-extension
/// "+me" profiles are left out: the device plugin cannot name them as resources).
/// </summary>
internal static class NvidiaGpus
{
    public const string Resource = "nvidia.com/gpu";
    public const string SharedResource = "nvidia.com/gpu.shared";
    public const string DevicePluginNamespace = "nvidia-device-plugin";
    public const string DevicePluginConfigMap = "devplatform-nvidia-device-plugin";

    /// <summary>The node label the NVIDIA device plugin reads to pick its per-node configuration.</summary>
    public const string ConfigLabel = "nvidia.com/device-plugin.config";

    public static readonly IReadOnlyDictionary<string, Model> Models = new Dictionary<string, Model>(StringComparer.Ordinal)
    {
        ["t4"] = new("t4", null, []),
        ["a10g"] = new("a10g", null, []),
        ["l4"] = new("l4", null, []),
        ["l40s"] = new("l40s", null, []),
        ["a100-40gb"] = new("a100", "40960", new() { ["1g.5gb"] = 7, ["1g.10gb"] = 4, ["2g.10gb"] = 3, ["3g.20gb"] = 2, ["4g.20gb"] = 1, ["7g.40gb"] = 1 }),
        ["a100-80gb"] = new("a100", "81920", new() { ["1g.10gb"] = 7, ["1g.20gb"] = 4, ["2g.20gb"] = 3, ["3g.40gb"] = 2, ["4g.40gb"] = 1, ["7g.80gb"] = 1 }),
        ["h100-80gb"] = new("h100", null, new() { ["1g.10gb"] = 7, ["1g.20gb"] = 4, ["2g.20gb"] = 3, ["3g.40gb"] = 2, ["4g.40gb"] = 1, ["7g.80gb"] = 1 }),
        ["h200-141gb"] = new("h200", null, new() { ["1g.18gb"] = 7, ["1g.35gb"] = 4, ["2g.35gb"] = 3, ["3g.71gb"] = 2, ["4g.71gb"] = 1, ["7g.141gb"] = 1 }),
    };

    public static readonly IReadOnlyList<string> Names = [.. Models.Keys];

    public static readonly IReadOnlyList<string> MigCapable = [.. Models.Where(m => m.Value.MigProfiles.Count > 0).Select(m => m.Key)];

    /// <param name="InstanceGpuName">Karpenter's <c>karpenter.k8s.aws/instance-gpu-name</c>.</param>
    /// <param name="GpuMemoryMiB">Karpenter's <c>karpenter.k8s.aws/instance-gpu-memory</c>, where the name alone is ambiguous.</param>
    /// <param name="MigProfiles">Profile → instances per GPU.</param>
    public sealed record Model(string InstanceGpuName, string? GpuMemoryMiB, Dictionary<string, int> MigProfiles);

    /// <summary>Nodes with this GPU model, tainted so only GPU workloads land on them.</summary>
    public static PoolNodes Nodes(string model, IReadOnlyList<NodeRequirement> instanceRequirements, IReadOnlyDictionary<string, string> limits)
    {
        var gpu = Models[model];
        List<NodeRequirement> requirements = [new("karpenter.k8s.aws/instance-gpu-manufacturer", "In", ["nvidia"]), new("karpenter.k8s.aws/instance-gpu-name", "In", [gpu.InstanceGpuName])];
        if (gpu.GpuMemoryMiB is not null)
        {
            requirements.Add(new NodeRequirement("karpenter.k8s.aws/instance-gpu-memory", "In", [gpu.GpuMemoryMiB]));
        }

        return PoolNodes.Default with { Requirements = [.. requirements, .. instanceRequirements], Taints = [new NodeTaint(Resource, "true", "NoSchedule")], Limits = limits };
    }

    /// <summary>What every NVIDIA workload gets: the GPU taint tolerated, and the driver capabilities containers need for CUDA and nvidia-smi.</summary>
    public static AcceleratorPlacement Placement(string resource, int count) => new(
        PoolSettings.Map((resource, count.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        [new NodeToleration(Resource, "Exists", null, "NoSchedule")],
        new Dictionary<string, string>(),
        PoolSettings.Map(("NVIDIA_DRIVER_CAPABILITIES", "compute,utility")));

    /// <summary>One entry of the NVIDIA device plugin's multi-config ConfigMap: the key is the pool's name, selected on its nodes by <see cref="ConfigLabel"/>.</summary>
    public static System.Text.Json.Nodes.JsonObject DevicePluginConfig(string poolName, string config) => new()
    {
        ["apiVersion"] = "v1", ["kind"] = "ConfigMap",
        ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = DevicePluginConfigMap, ["namespace"] = DevicePluginNamespace },
        ["data"] = new System.Text.Json.Nodes.JsonObject { [poolName] = config },
    };
}
