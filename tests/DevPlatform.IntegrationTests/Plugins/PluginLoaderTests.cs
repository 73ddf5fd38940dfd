using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Plugins;

public sealed class PluginLoaderTests
{
    private static readonly string[] WithSamples = [.. PluginFolder.BuiltIn, "SamplePlugin.Tpu", "SamplePlugin.Throwing", "SamplePlugin.WrongContract"];

    [Fact]
    public async Task Plugins_LoadedAndFailed_ListedWithReasons()
    {
        await using var factory = await PlatformFactory.CreateAsync(plugins: WithSamples);
        var plugins = (await ApiAssert.OkAsync(await factory.CreateAdminClient().GetAsync("/api/admin/plugins"))).EnumerateArray().ToDictionary(p => p.GetProperty("folder").GetString()!);

        Assert.Equal("loaded", plugins["SamplePlugin.Tpu"].GetProperty("state").GetString());
        Assert.Equal(["IAcceleratorKind:sample-tpu"], plugins["SamplePlugin.Tpu"].GetProperty("contributes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(["IAcceleratorKind:aws-neuron", "IAcceleratorKind:cpu", "IAcceleratorKind:memory-optimised", "IAcceleratorKind:nvidia-gpu", "IAcceleratorKind:nvidia-mig", "IAcceleratorKind:nvidia-timeslicing"], plugins["DevPlatform.Plugins.Accelerators"].GetProperty("contributes").EnumerateArray().Select(c => c.GetString()));

        var throwing = plugins["SamplePlugin.Throwing"];
        Assert.Equal("failed", throwing.GetProperty("state").GetString());
        Assert.Contains("ConfigureServices threw InvalidOperationException: the sample licence server is unreachable", throwing.GetProperty("error").GetString(), StringComparison.Ordinal);

        var future = plugins["SamplePlugin.WrongContract"];
        Assert.Equal("failed", future.GetProperty("state").GetString());
        Assert.Contains("contract version 100, this host provides version 2", future.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThrowingPlugin_LeavesNoHalfRegisteredServices()
    {
        var database = await (await TestPostgres.SharedAsync()).CreateDatabaseAsync();
        await HostProcess.AssertRefusedAsync(database, PluginFolder.With(WithSamples), new Dictionary<string, string> { ["Storage__Provider"] = "half-registered" },
            "Storage:Provider 'half-registered' is not a known storage provider; known: efs, local-disk");
    }

    [Fact]
    public async Task PluginStrategy_UsableThroughTheApi()
    {
        await using var factory = await PlatformFactory.CreateAsync(plugins: WithSamples);
        var admin = factory.CreateAdminClient();
        Assert.Contains("chips", await ApiAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/api/pools", new { name = "tpu", acceleratorKind = "sample-tpu", onDemandHourlyPrice = 4 }), "configuration.chips"), StringComparison.Ordinal);
        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/pools", new { name = "tpu", acceleratorKind = "sample-tpu", onDemandHourlyPrice = 4, configuration = new { chips = 4 } }), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Plugin_WithOlderDependency_GetsItsOwnCopy()
    {
        await using var factory = await PlatformFactory.CreateAsync(plugins: WithSamples);
        var seen = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/sample-tpu/yaml");
        Assert.StartsWith("15.", seen.GetProperty("version").GetString(), StringComparison.Ordinal);
        Assert.Equal("chips: 4", seen.GetProperty("yaml").GetString());
        Assert.StartsWith("18.", typeof(YamlDotNet.Serialization.ISerializer).Assembly.GetName().Version!.ToString(), StringComparison.Ordinal); // the host's own (KubernetesClient needs 18)
    }

    [Fact]
    public async Task RequiredPlugin_Failing_StopsStartup()
    {
        var database = await (await TestPostgres.SharedAsync()).CreateDatabaseAsync();
        await HostProcess.AssertRefusedAsync(database, PluginFolder.With(WithSamples), new Dictionary<string, string> { ["Plugins__Required__0"] = "sample.throwing" },
            "Required plugin 'sample.throwing' failed to load: ConfigureServices threw InvalidOperationException: the sample licence server is unreachable");
    }

    [Fact]
    public async Task RequiredPlugin_Missing_StopsStartup()
    {
        var database = await (await TestPostgres.SharedAsync()).CreateDatabaseAsync();
        await HostProcess.AssertRefusedAsync(database, PluginFolder.With(PluginFolder.BuiltIn), new Dictionary<string, string> { ["Plugins__Required__0"] = "devplatform.dns" },
            "Required plugin(s) 'devplatform.dns' not found");
    }

    [Fact]
    public async Task HardwareTierFromAPluginOnDisk_ChecksSizes_AndRendersItsNodePool()
    {
        await using var factory = await PlatformFactory.CreateAsync(plugins: WithSamples);
        var admin = factory.CreateAdminClient();
        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/pools", new { name = "tpu", acceleratorKind = "sample-tpu", onDemandHourlyPrice = 4, configuration = new { chips = 4 } }), HttpStatusCode.Created);
        var refused = await ApiAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/api/profiles", new
        {
            name = "tpu-lab", pool = "tpu", images = new[] { new { name = "base", reference = "quay.io/jupyter/base-notebook" } },
            sizes = new[] { new { name = "huge", cpuRequest = "1", cpuLimit = "2", memoryRequest = "2Gi", memoryLimit = "4Gi", accelerators = 8 } },
        }), "sizes[0].accelerators");
        Assert.Contains("1 to 4 TPU chips", refused, StringComparison.Ordinal);

        var objects = (await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>("/api/cluster/manifests?format=json"))!;
        var nodePool = objects.Single(o => (string?)o!["kind"] == "NodePool")!;
        Kubernetes.KubernetesSchemas.Instance.AssertValid(nodePool);
        Assert.Contains(nodePool["spec"]!["template"]!["spec"]!["taints"]!.AsArray(), t => (string?)t!["key"] == "example.com/tpu");
        Assert.Equal("64", (string?)nodePool["spec"]!["limits"]!["example.com/tpu"]);
    }

    [Fact]
    public async Task StoredPool_WithKindNoPluginProvides_StopsStartupNamingKnownKinds()
    {
        await using var withTpu = await PlatformFactory.CreateAsync(plugins: WithSamples);
        await ApiAssert.OkAsync(await withTpu.CreateAdminClient().PostAsJsonAsync("/api/pools", new { name = "tpu", acceleratorKind = "sample-tpu", onDemandHourlyPrice = 4, configuration = new { chips = 4 } }), HttpStatusCode.Created);
        await HostProcess.AssertRefusedAsync(withTpu.ConnectionString, PluginFolder.With(PluginFolder.BuiltIn), new Dictionary<string, string>(),
            "Pool 'tpu' names an accelerator kind no loaded plugin provides: 'sample-tpu' is not a known accelerator kind; known: aws-neuron, cpu, memory-optimised, nvidia-gpu, nvidia-mig, nvidia-timeslicing");
    }
}
