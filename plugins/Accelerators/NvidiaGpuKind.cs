using System.Text.Json;
using DevPlatform.Abstractions;

namespace DevPlatform.Plugins.Accelerators;

/// <summary>
/// Whole NVIDIA GPUs (<c>nvidia.com/gpu</c>). Settings: <c>gpuModel</c> (required), <c>gpusPerNode</c>
/// (required, 1–16) and <c>instanceTypes</c> (optional EC2 types).
/// </summary>
internal sealed class NvidiaGpuKind : IAcceleratorKind
{
    public static readonly string[] Models = ["t4", "a10g", "l4", "l40s", "a100-40gb", "a100-80gb", "h100-80gb", "h200-141gb"];

    public string Name => "nvidia-gpu";

    public string DisplayName => "NVIDIA GPU (whole devices)";

    public IReadOnlyList<ConfigurationError> ValidatePoolConfiguration(JsonElement configuration)
    {
        var reader = new PoolConfigurationReader(configuration, "gpuModel", "gpusPerNode", "instanceTypes");
        reader.OneOf("gpuModel", Models, required: true);
        reader.Integer("gpusPerNode", 1, 16, required: true);
        reader.InstanceTypes("instanceTypes");
        return reader.Errors;
    }
}
