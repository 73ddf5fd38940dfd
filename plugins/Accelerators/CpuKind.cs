using System.Text.Json;
using DevPlatform.Abstractions;

namespace DevPlatform.Plugins.Accelerators;

/// <summary>General-purpose CPU nodes. Settings: <c>instanceTypes</c> (optional EC2 types).</summary>
internal sealed class CpuKind : IAcceleratorKind
{
    public string Name => "cpu";

    public string DisplayName => "CPU (general purpose)";

    public IReadOnlyList<ConfigurationError> ValidatePoolConfiguration(JsonElement configuration)
    {
        var reader = new PoolConfigurationReader(configuration, "instanceTypes");
        reader.InstanceTypes("instanceTypes");
        return reader.Errors;
    }
}
