using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Kubernetes;

/// <summary>Pools of every accelerator kind rendered as Karpenter and device plugin objects that a strict API server accepts.</summary>
public sealed class ClusterManifestsTests : AdminApiTest
{
    private static readonly object[] Pools =
    [
        new { name = "cpu", acceleratorKind = "cpu", onDemandHourlyPrice = 0.2m, configuration = new { maxCpu = "1000", maxMemory = "4000Gi" } },
        new { name = "bigmem", acceleratorKind = "memory-optimised", onDemandHourlyPrice = 4.0m },
        new { name = "gpu", acceleratorKind = "nvidia-gpu", onDemandHourlyPrice = 1.2m, capacityType = "spot", spotHourlyPrice = 0.5m, configuration = new { gpuModel = "a10g", gpusPerNode = 4, maxAccelerators = 32 } },
        new { name = "shared-t4", acceleratorKind = "nvidia-timeslicing", onDemandHourlyPrice = 0.6m, configuration = new { gpuModel = "t4", gpusPerNode = 1, replicas = 4 } },
        new { name = "shared-l4", acceleratorKind = "nvidia-timeslicing", onDemandHourlyPrice = 0.8m, configuration = new { gpuModel = "l4", gpusPerNode = 1, replicas = 8 } },
        new { name = "mig", acceleratorKind = "nvidia-mig", onDemandHourlyPrice = 30m, configuration = new { gpuModel = "a100-80gb", profile = "1g.10gb", gpusPerNode = 8 } },
        new { name = "inferentia", acceleratorKind = "aws-neuron", onDemandHourlyPrice = 0.76m, configuration = new { chip = "inferentia2", devicesPerNode = 1, unit = "core" } },
        new { name = "trainium", acceleratorKind = "aws-neuron", onDemandHourlyPrice = 21.5m, configuration = new { chip = "trainium", devicesPerNode = 16 } },
    ];

    [Fact]
    public async Task EveryPoolKind_RendersObjectsTheOfficialSchemasAccept_AsJsonAndAsYaml()
    {
        foreach (var pool in Pools)
        {
            await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/pools", pool), HttpStatusCode.Created);
        }

        var objects = (await Admin.GetFromJsonAsync<JsonArray>("/api/cluster/manifests?format=json"))!.Select(o => o!.AsObject()).ToList();
        foreach (var item in objects)
        {
            KubernetesSchemas.Instance.AssertValid(item);
        }

        Assert.Equal(8, objects.Count(o => (string?)o["kind"] == "NodePool"));
        Assert.Equal(8, objects.Count(o => (string?)o["kind"] == "EC2NodeClass"));
        var gpu = NodePool(objects, "gpu");
        Assert.Equal(["spot"], Values(gpu, "karpenter.sh/capacity-type"));
        Assert.Equal(["a10g"], Values(gpu, "karpenter.k8s.aws/instance-gpu-name"));
        Assert.Equal("32", (string?)gpu["spec"]!["limits"]!["nvidia.com/gpu"]);
        Assert.Contains(gpu["spec"]!["template"]!["spec"]!["taints"]!.AsArray(), t => (string?)t!["key"] == "nvidia.com/gpu");
        Assert.Equal("WhenEmptyOrUnderutilized", (string?)gpu["spec"]!["disruption"]!["consolidationPolicy"]);

        var mig = NodePool(objects, "mig");
        Assert.Equal("all-1g.10gb", (string?)mig["spec"]!["template"]!["metadata"]!["labels"]!["nvidia.com/mig.config"]);
        Assert.Equal(["81920"], Values(mig, "karpenter.k8s.aws/instance-gpu-memory"));
        Assert.Equal(["trn1"], Values(NodePool(objects, "trainium"), "karpenter.k8s.aws/instance-family"));

        var devicePlugin = Assert.Single(objects, o => (string?)o["kind"] == "ConfigMap");
        var configs = devicePlugin["data"]!.AsObject();
        Assert.Equal(["mig", "shared-l4", "shared-t4"], configs.Select(c => c.Key).Order());
        Assert.Contains("replicas: 8", (string?)configs["shared-l4"], StringComparison.Ordinal);
        Assert.Contains("migStrategy: mixed", (string?)configs["mig"], StringComparison.Ordinal);

        var yaml = await Admin.GetStringAsync("/api/cluster/manifests");
        var documents = YamlJson.ParseAll(yaml);
        Assert.Equal(objects.Count, documents.Count);
        foreach (var document in documents)
        {
            KubernetesSchemas.Instance.AssertValid(document!);
        }

        Assert.True(JsonNode.DeepEquals(NodePool(objects, "cpu"), documents.Single(d => (string?)d!["kind"] == "NodePool" && (string?)d["metadata"]!["name"] == "cpu")));
    }

    [Fact]
    public async Task RenderClusterCommand_PrintsTheSameYamlAsTheApi_ForKubectlApply()
    {
        foreach (var pool in Pools.Take(3))
        {
            await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/pools", pool), HttpStatusCode.Created);
        }

        var (code, stdout, stderr) = await HostProcess.RunCommandAsync(["render", "cluster"], Factory.ConnectionString, PluginFolder.With(PluginFolder.BuiltIn));
        Assert.True(code == 0, $"render cluster exited {code}: {stderr}");
        var printed = YamlJson.ParseAll(stdout);
        var served = YamlJson.ParseAll(await Admin.GetStringAsync("/api/cluster/manifests"));
        Assert.Equal(6, printed.Count); // a NodePool and an EC2NodeClass per pool
        Assert.Equal(served.Select(d => d!.ToJsonString()), printed.Select(d => d!.ToJsonString()));
    }

    [Fact]
    public async Task SizesThatDoNotFitThePoolsHardware_AreRefusedNamingTheSize()
    {
        foreach (var pool in Pools)
        {
            await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/pools", pool), HttpStatusCode.Created);
        }

        async Task<string> RefusedAsync(string pool, string field, object size) => await ApiAssert.FieldErrorAsync(
            await Admin.PostAsJsonAsync("/api/profiles", new { name = $"p-{pool}", pool, images = new[] { new { name = "base", reference = "quay.io/jupyter/base-notebook" } }, sizes = new[] { size } }),
            field);

        Assert.Contains("1 to 4 whole GPUs", await RefusedAsync("gpu", "sizes[0].accelerators", new { name = "s", cpuRequest = "1", cpuLimit = "2", memoryRequest = "2Gi", memoryLimit = "4Gi", accelerators = 0 }), StringComparison.Ordinal);
        Assert.Contains("1 to 56 1g.10gb slices", await RefusedAsync("mig", "sizes[0].accelerators", new { name = "s", cpuRequest = "1", cpuLimit = "2", memoryRequest = "2Gi", memoryLimit = "4Gi", accelerators = 57 }), StringComparison.Ordinal);
        Assert.Contains("one shared slice", await RefusedAsync("shared-t4", "sizes[0].accelerators", new { name = "s", cpuRequest = "1", cpuLimit = "2", memoryRequest = "2Gi", memoryLimit = "4Gi", accelerators = 2 }), StringComparison.Ordinal);
        Assert.Contains("256Gi to 512Gi", await RefusedAsync("bigmem", "sizes[0].memoryLimit", new { name = "s", cpuRequest = "1", cpuLimit = "2", memoryRequest = "2Gi", memoryLimit = "16Gi" }), StringComparison.Ordinal);
        Assert.Contains("1 to 2 NeuronCores", await RefusedAsync("inferentia", "sizes[0].accelerators", new { name = "s", cpuRequest = "1", cpuLimit = "2", memoryRequest = "2Gi", memoryLimit = "4Gi", accelerators = 3 }), StringComparison.Ordinal);

        var mig = await ApiAssert.FieldErrorAsync(await Admin.PostAsJsonAsync("/api/pools",
            new { name = "bad-mig", acceleratorKind = "nvidia-mig", onDemandHourlyPrice = 1m, configuration = new { gpuModel = "a100-40gb", profile = "1g.10gb-x", gpusPerNode = 1 } }), "configuration.profile");
        Assert.Contains("1g.5gb, 1g.10gb, 2g.10gb, 3g.20gb, 4g.20gb, 7g.40gb", mig, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync("/api/pools/bad-mig")).StatusCode);
    }

    /// <summary>Both schema sources (the OpenAPI documents when beside the repository, the npm validators always) must refuse alike.</summary>
    [Theory]
    [InlineData("in use")]
    [InlineData("npm")]
    public void TheSchemaCheck_RejectsUnknownFieldsWrongTypesAndBrokenPatterns(string source)
    {
        var schemas = source == "npm" ? KubernetesSchemas.NpmModels : KubernetesSchemas.Instance;
        var pool = new JsonObject
        {
            ["apiVersion"] = "karpenter.sh/v1", ["kind"] = "NodePool", ["metadata"] = new JsonObject { ["name"] = "x" },
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject
                {
                    ["spec"] = new JsonObject
                    {
                        ["nodeClassRef"] = new JsonObject { ["group"] = "karpenter.k8s.aws", ["kind"] = "EC2NodeClass", ["name"] = "x" },
                        ["requirements"] = new JsonArray(new JsonObject { ["key"] = "karpenter.sh/capacity-type", ["operator"] = "Within", ["values"] = new JsonArray("spot") }),
                        ["expireAfter"] = "30 days",
                        ["color"] = "blue",
                    },
                },
                ["weight"] = "high",
            },
        };
        var errors = schemas.Validate(pool);
        Assert.Contains(errors, e => e.StartsWith(".spec.template.spec.color: unknown field", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith(".spec.weight: expected integer", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith(".spec.template.spec.requirements[0].operator:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith(".spec.template.spec.expireAfter: '30 days' does not match", StringComparison.Ordinal));

        var pod = JsonNode.Parse("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","resources":{"limits":{"memory":"4 GiB"}}}]}}""")!;
        Assert.Contains(schemas.Validate(pod), e => e.Contains("'4 GiB' is not a quantity", StringComparison.Ordinal));
    }

    private static JsonObject NodePool(List<JsonObject> objects, string name) =>
        objects.Single(o => (string?)o["kind"] == "NodePool" && (string?)o["metadata"]!["name"] == name);

    private static List<string?> Values(JsonObject nodePool, string key) =>
        nodePool["spec"]!["template"]!["spec"]!["requirements"]!.AsArray().Single(r => (string?)r!["key"] == key)!["values"]!.AsArray().Select(v => (string?)v).ToList();
}
