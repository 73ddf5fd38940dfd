using System.Text.Json;
using DevPlatform.Abstractions;

namespace DevPlatform.Plugins.Accelerators;

/// <summary>
/// AWS Inferentia2 (inf2) and Trainium (trn1) through the Neuron device plugin: whole devices
/// (<c>aws.amazon.com/neuron</c>) or NeuronCores (<c>aws.amazon.com/neuroncore</c>, two per device on
/// both chips). Settings: <c>chip</c> (inferentia2 | trainium), <c>unit</c> (device | core, default device),
/// <c>devicesPerNode</c> (inf2: 1, 6 or 12; trn1: 1 or 16), <c>instanceTypes</c>, <c>maxCpu</c>, <c>maxMemory</c>,
/// <c>maxAccelerators</c>.
/// </summary>
internal sealed class AwsNeuronKind : IAcceleratorKind
{
    public const string DeviceResource = "aws.amazon.com/neuron";
    public const string CoreResource = "aws.amazon.com/neuroncore";
    private const int CoresPerDevice = 2;

    private static readonly Dictionary<string, (string Family, int[] DevicesPerNode)> Chips = new(StringComparer.Ordinal)
    {
        ["inferentia2"] = ("inf2", [1, 6, 12]),
        ["trainium"] = ("trn1", [1, 16]),
    };

    public string Name => "aws-neuron";

    public string DisplayName => "AWS Neuron (Inferentia2, Trainium)";

    public IReadOnlyList<ConfigurationError> ValidatePoolConfiguration(JsonElement configuration)
    {
        var reader = new PoolConfigurationReader(configuration, ["chip", "unit", "devicesPerNode", "instanceTypes", "maxAccelerators", .. PoolSettings.LimitFields]);
        reader.OneOf("chip", [.. Chips.Keys], required: true);
        reader.OneOf("unit", ["device", "core"], required: false);
        reader.Integer("devicesPerNode", 1, 16, required: true);
        reader.InstanceTypes("instanceTypes");
        PoolSettings.CheckLimits(reader, "maxAccelerators");
        var errors = reader.Errors.ToList();
        if (PoolSettings.String(configuration, "chip") is { } chip && Chips.TryGetValue(chip, out var known)
            && PoolSettings.Integer(configuration, "devicesPerNode", 0) is var devices and > 0 && !known.DevicesPerNode.Contains(devices))
        {
            errors.Add(new ConfigurationError("devicesPerNode", $"{known.Family} instances have {string.Join(", ", known.DevicesPerNode)} Neuron devices; got {devices}."));
        }

        return errors;
    }

    public IReadOnlyList<ConfigurationError> ValidateRequest(JsonElement configuration, EnvironmentResources resources)
    {
        var perNode = PerNode(configuration);
        var unit = Cores(configuration) ? "NeuronCores" : "Neuron devices";
        return resources.Accelerators < 1 || resources.Accelerators > perNode
            ? PoolSettings.Refuse("accelerators", $"a size on this Neuron pool asks for 1 to {perNode} {unit} (what one node has); got {resources.Accelerators}.")
            : [];
    }

    public int? AcceleratorsPerNode(JsonElement configuration) => PerNode(configuration);

    public AcceleratorPlacement Place(JsonElement configuration, EnvironmentResources resources) => new(
        PoolSettings.Map((Resource(configuration), resources.Accelerators.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        [new NodeToleration(DeviceResource, "Exists", null, "NoSchedule")],
        new Dictionary<string, string>(),
        new Dictionary<string, string>());

    public PoolNodes DescribeNodes(string poolName, JsonElement configuration)
    {
        var (family, _) = Chips[PoolSettings.String(configuration, "chip")!];
        var devices = PoolSettings.Integer(configuration, "devicesPerNode", 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return PoolNodes.Default with
        {
            Requirements = [new NodeRequirement("karpenter.k8s.aws/instance-family", "In", [family]),
                .. PoolSettings.InstanceRequirements(configuration, new NodeRequirement("karpenter.k8s.aws/instance-accelerator-count", "In", [devices]))],
            Taints = [new NodeTaint(DeviceResource, "true", "NoSchedule")],
            Limits = PoolSettings.Limits(configuration, Resource(configuration)),
        };
    }

    private static int PerNode(JsonElement configuration) => PoolSettings.Integer(configuration, "devicesPerNode", 1) * (Cores(configuration) ? CoresPerDevice : 1);

    private static bool Cores(JsonElement configuration) => PoolSettings.String(configuration, "unit") == "core";

    private static string Resource(JsonElement configuration) => Cores(configuration) ? CoreResource : DeviceResource;
}
