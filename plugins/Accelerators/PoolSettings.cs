using System.Text.Json;
using DevPlatform.Abstractions;

namespace DevPlatform.Plugins.Accelerators;

/// <summary>Reads a pool configuration that <see cref="PoolConfigurationReader"/> has already accepted.</summary>
internal static class PoolSettings
{
    /// <summary>Pool-wide limits every kind accepts: Karpenter stops adding nodes past them.</summary>
    public static readonly string[] LimitFields = ["maxCpu", "maxMemory"];

    public static string? String(JsonElement configuration, string field) =>
        configuration.ValueKind == JsonValueKind.Object && configuration.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static int Integer(JsonElement configuration, string field, int fallback) =>
        configuration.ValueKind == JsonValueKind.Object && configuration.TryGetProperty(field, out var value) && value.TryGetInt32(out var number) ? number : fallback;

    public static IReadOnlyList<string> Strings(JsonElement configuration, string field) =>
        configuration.ValueKind == JsonValueKind.Object && configuration.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(v => v.GetString()!).ToList()
            : [];

    /// <summary>Checks the limit fields every kind accepts.</summary>
    public static void CheckLimits(PoolConfigurationReader reader, string? acceleratorLimitField = null)
    {
        reader.Quantity("maxCpu");
        reader.Quantity("maxMemory");
        if (acceleratorLimitField is not null)
        {
            reader.Integer(acceleratorLimitField, 1, 10_000, required: false);
        }
    }

    /// <summary>The NodePool's <c>limits</c>: cpu and memory, and the accelerator resource when a maximum is set.</summary>
    public static Dictionary<string, string> Limits(JsonElement configuration, string? acceleratorResource = null)
    {
        var limits = new Dictionary<string, string>(StringComparer.Ordinal);
        if (String(configuration, "maxCpu") is { } cpu)
        {
            limits["cpu"] = cpu;
        }

        if (String(configuration, "maxMemory") is { } memory)
        {
            limits["memory"] = memory;
        }

        if (acceleratorResource is not null && Integer(configuration, "maxAccelerators", 0) is > 0 and var accelerators)
        {
            limits[acceleratorResource] = accelerators.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return limits;
    }

    /// <summary>Explicit instance types win; otherwise the kind's own requirements.</summary>
    public static List<NodeRequirement> InstanceRequirements(JsonElement configuration, params NodeRequirement[] otherwise)
    {
        var types = Strings(configuration, "instanceTypes");
        return types.Count > 0 ? [new NodeRequirement("node.kubernetes.io/instance-type", "In", types)] : [.. otherwise];
    }

    public static ConfigurationError[] Refuse(string field, string message) => [new ConfigurationError(field, message)];

    public static Dictionary<string, string> Map(params (string Key, string Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
}
