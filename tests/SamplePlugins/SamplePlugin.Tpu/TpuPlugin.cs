using System.Text.Json;
using DevPlatform.Abstractions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using YamlDotNet.Serialization;

namespace SamplePlugin.Tpu;

/// <summary>A plugin with an accelerator kind, an endpoint, and its own (older) YamlDotNet.</summary>
public sealed class TpuPlugin : IPlatformPlugin, IPluginEndpoints
{
    public PluginManifest Manifest { get; } = new("sample.tpu", "0.3.0", PluginContract.Version, "Sample: a TPU accelerator kind.");

    public void ConfigureServices(IServiceCollection services, IConfiguration configuration) =>
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAcceleratorKind, TpuKind>());

    public void MapEndpoints(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/sample-tpu/yaml", () => Results.Json(new
        {
            version = typeof(ISerializer).Assembly.GetName().Version!.ToString(),
            yaml = new SerializerBuilder().Build().Serialize(new { chips = 4 }).Trim(),
        }));

    /// <summary>The worked example of docs/plugins.md: a hardware tier with its own resource, taint and node requirements.</summary>
    private sealed class TpuKind : IAcceleratorKind
    {
        public string Name => "sample-tpu";

        public string DisplayName => "Sample TPU";

        public IReadOnlyList<ConfigurationError> ValidatePoolConfiguration(JsonElement configuration) =>
            configuration.TryGetProperty("chips", out var chips) && chips.ValueKind == JsonValueKind.Number
                ? []
                : [new ConfigurationError("chips", "is required: the number of TPU chips per node.")];

        public IReadOnlyList<ConfigurationError> ValidateRequest(JsonElement configuration, EnvironmentResources resources) =>
            resources.Accelerators >= 1 && resources.Accelerators <= configuration.GetProperty("chips").GetInt32()
                ? []
                : [new ConfigurationError("accelerators", $"asks for 1 to {configuration.GetProperty("chips").GetInt32()} TPU chips; got {resources.Accelerators}.")];

        public AcceleratorPlacement Place(JsonElement configuration, EnvironmentResources resources) => AcceleratorPlacement.None with
        {
            Resources = new Dictionary<string, string> { ["example.com/tpu"] = resources.Accelerators.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            Tolerations = [new NodeToleration("example.com/tpu", "Exists", null, "NoSchedule")],
            Environment = new Dictionary<string, string> { ["TPU_CHIPS"] = resources.Accelerators.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };

        public PoolNodes DescribeNodes(string poolName, JsonElement configuration) => PoolNodes.Default with
        {
            Requirements = [new NodeRequirement("node.kubernetes.io/instance-type", "In", ["tpu-v5e.8"])],
            Taints = [new NodeTaint("example.com/tpu", "true", "NoSchedule")],
            Limits = new Dictionary<string, string> { ["example.com/tpu"] = "64" },
        };
    }
}
