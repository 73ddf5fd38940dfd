using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;
using DevPlatform.Kubernetes.Compute;

namespace DevPlatform.IntegrationTests.Kubernetes;

/// <summary>A launch through the platform API with Compute:Backend = kubernetes; the test plays the kubelet.</summary>
public sealed class KubernetesLaunchTests
{
    [Fact]
    public async Task Launch_CreatesValidObjectsWithCostLabels_ShowsPodProgress_StopRemovesThem()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        var config = await api.KubeConfigFileAsync();
        await using var factory = await PlatformFactory.CreateAsync(new Dictionary<string, string?> { ["Compute:Backend"] = "kubernetes", ["Kubernetes:KubeConfig"] = config,
            ["Hub:ApiUrl"] = "http://devplatform.devplatform.svc.cluster.local/hub/api" }); // in a cluster pods reach the hub by its Service
        var admin = factory.CreateAdminClient();
        await EnvironmentCatalog.SeedAsync(admin);
        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/users/alice/environments", new { name = "nb", profile = "jupyter" }), HttpStatusCode.Accepted);

        var pod = await Eventually.UntilAsync(() => Task.FromResult(api.Objects(ResourceKind.Pods, "devplatform")), p => p.Count == 1, TimeSpan.FromSeconds(30), "the environment's pod");
        var name = (string)pod[0]["metadata"]!["name"]!;
        var labels = pod[0]["metadata"]!["labels"]!;
        Assert.Equal(["alice", "lab", "jupyter", "cpu"], new[] { "user", "group", "profile", "pool" }.Select(l => (string?)labels[$"devplatform.io/{l}"]));
        var container = pod[0]["spec"]!["containers"]![0]!;
        Assert.Equal("quay.io/jupyter/scipy-notebook:2025-01-06", (string?)container["image"]);
        Assert.Contains(container["env"]!.AsArray(), e => (string?)e!["name"] == "JUPYTERHUB_SERVICE_PREFIX" && (string?)e["value"] == "/user/alice/nb/");

        api.Mutate(ResourceKind.Pods, "devplatform", name, p => p["status"] = System.Text.Json.Nodes.JsonNode.Parse(
            """{"phase":"Running","containerStatuses":[{"name":"environment","ready":false,"restartCount":0,"image":"x","imageID":"","state":{"running":{}}}]}"""));
        var messages = await Eventually.UntilAsync(
            async () => (await admin.GetFromJsonAsync<JsonElement>("/api/users/alice/environments/nb/events")).EnumerateArray().Select(e => e.GetProperty("message").GetString()!).ToList(),
            m => m.Contains("Container running; waiting for it to answer"), TimeSpan.FromSeconds(30), "the pod's progress in the environment's events");
        Assert.Contains($"Created pod devplatform/{name} on pool cpu; waiting for a node", messages);

        await ApiAssert.OkAsync(await admin.PostAsync(new Uri("/api/users/alice/environments/nb/stop", UriKind.Relative), null), HttpStatusCode.Accepted);
        await Eventually.UntilAsync(() => Task.FromResult(api.Objects(ResourceKind.Pods).Count + api.Objects(ResourceKind.Services).Count + api.Objects(ResourceKind.NetworkPolicies).Count),
            n => n == 0, TimeSpan.FromSeconds(30), "the pod, service and network policy to be deleted");
        Assert.Equal(WorkloadObjects.HomeClaimOf("alice"), (string?)Assert.Single(api.Objects(ResourceKind.PersistentVolumeClaims))["metadata"]!["name"]);
    }

    /// <summary>Issue #23: the API unreachable while the hub starts (an upgrade of both) does not end hosting; the hub serves, not ready with the reason, until the API answers.</summary>
    [Fact]
    public async Task ApiUnreachableAtStartUp_TheHubServesNotReadyWithTheReason_AndBecomesReadyWhenTheApiAnswers()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        api.Unreachable = true;
        await using var factory = await PlatformFactory.CreateAsync(new Dictionary<string, string?> { ["Compute:Backend"] = "kubernetes", ["Kubernetes:KubeConfig"] = await api.KubeConfigFileAsync() });
        var admin = factory.CreateAdminClient();
        var notReady = await admin.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Contains("The kubernetes backend did not answer the start-up reconciliation", await notReady.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(new Uri("/api/users", UriKind.Relative))).StatusCode); // serving meanwhile

        api.Unreachable = false;
        await Eventually.UntilAsync(async () => (await admin.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "the hub to be ready once the API answers");
    }

    [Fact]
    public async Task GpuLaunch_InTheGroupsNamespace_QuotaCapsItsAccelerators_PinnedToSpotNodes_LogsReadThroughTheApi()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        var config = await api.KubeConfigFileAsync();
        await using var factory = await PlatformFactory.CreateAsync(new Dictionary<string, string?>
        {
            ["Compute:Backend"] = "kubernetes", ["Kubernetes:KubeConfig"] = config, ["Kubernetes:NamespacePerGroup"] = "true",
            ["Hub:ApiUrl"] = "http://devplatform.devplatform.svc.cluster.local/hub/api",
        });
        var admin = factory.CreateAdminClient();
        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/pools", new
        {
            name = "gpu", acceleratorKind = "nvidia-gpu", onDemandHourlyPrice = 1.2m, capacityType = "spot", spotHourlyPrice = 0.5m,
            configuration = new { gpuModel = "a10g", gpusPerNode = 4, maxAccelerators = 32 },
        }), HttpStatusCode.Created);
        await EnvironmentCatalog.SeedAsync(admin, new { acceleratorQuota = 2, storageQuota = "5Gi" }, new // a storage quota below the home size: bytes used, not claims
        {
            name = "pytorch", pool = "gpu", kind = "jupyter",
            images = new[] { new { name = "cuda", reference = "quay.io/jupyter/pytorch-notebook:cuda12-2025-01-06", @default = true } },
            sizes = new[] { new { name = "one-gpu", cpuRequest = "4", cpuLimit = "8", memoryRequest = "16Gi", memoryLimit = "16Gi", accelerators = 1 } },
        });
        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/users/alice/environments", new { name = "train", profile = "pytorch" }), HttpStatusCode.Accepted);

        var pod = (await Eventually.UntilAsync(() => Task.FromResult(api.Objects(ResourceKind.Pods, "dp-lab")), p => p.Count == 1, TimeSpan.FromSeconds(30), "the pod in the group's namespace"))[0];
        var name = (string)pod["metadata"]!["name"]!;
        Assert.Equal("1", (string?)pod["spec"]!["containers"]![0]!["resources"]!["limits"]!["nvidia.com/gpu"]);
        Assert.Equal("spot", (string?)pod["metadata"]!["labels"]!["devplatform.io/capacity-type"]);
        var terms = pod["spec"]!["affinity"]!["nodeAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]!["nodeSelectorTerms"]![0]!["matchExpressions"]!.AsArray();
        Assert.Contains(terms, t => (string?)t!["key"] == "karpenter.sh/capacity-type" && (string?)t["values"]![0] == "spot");
        var quota = api.Find(ResourceKind.ResourceQuotas, "dp-lab", "devplatform")!;
        Assert.Equal("2", (string?)quota["spec"]!["hard"]!["requests.nvidia.com/gpu"]);

        api.Mutate(ResourceKind.Pods, "dp-lab", name, p => p["status"] = System.Text.Json.Nodes.JsonNode.Parse(
            """{"phase":"Running","containerStatuses":[{"name":"environment","ready":false,"restartCount":0,"image":"x","imageID":"","state":{"running":{}}}]}"""));
        api.WriteLog("dp-lab", name, "[I 2026-11-30 10:00:00.000 ServerApp] Jupyter Server 2.14.2 is running at:\n");
        var logs = await Eventually.UntilAsync(() => admin.GetStringAsync(new Uri("/api/users/alice/environments/train/logs", UriKind.Relative)),
            l => l.Contains("Jupyter Server 2.14.2 is running", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the container's log through the platform");
        Assert.DoesNotContain("kubectl", logs, StringComparison.Ordinal);
    }

    /// <summary>
    /// The start never answers (readiness times out), and reading the pod's last output fails (the API server answers 503
    /// past every retry): the pod, Service and NetworkPolicy are removed all the same and the reason stays the original one.
    /// </summary>
    [Fact]
    public async Task AFailedStart_CleansUpWhateverReadingItsLogsDoes()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        var config = await api.KubeConfigFileAsync();
        await using var factory = await PlatformFactory.CreateAsync(new Dictionary<string, string?> { ["Compute:Backend"] = "kubernetes", ["Kubernetes:KubeConfig"] = config,
            ["Hub:ApiUrl"] = "http://devplatform.devplatform.svc.cluster.local/hub/api" });
        var admin = factory.CreateAdminClient();
        await EnvironmentCatalog.SeedAsync(admin, null, EnvironmentCatalog.WebProfile("quick", startTimeoutSeconds: ShortTimeout));
        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/users/alice/environments", new { name = "nb", profile = "quick" }), HttpStatusCode.Accepted);
        var pod = await Eventually.UntilAsync(() => Task.FromResult(api.Objects(ResourceKind.Pods, "devplatform")), p => p.Count == 1, TimeSpan.FromSeconds(30), "the environment's pod");
        api.FailNext(503, null, count: 20, pathContains: "/log?");
        api.Mutate(ResourceKind.Pods, "devplatform", (string)pod[0]["metadata"]!["name"]!, p => p["status"] = System.Text.Json.Nodes.JsonNode.Parse(
            """{"phase":"Running","containerStatuses":[{"name":"environment","ready":false,"restartCount":0,"image":"x","imageID":"","state":{"running":{}}}]}"""));

        var failed = await Eventually.UntilAsync(async () => await admin.GetFromJsonAsync<JsonElement>("/api/users/alice/environments/nb"),
            e => e.GetProperty("state").GetString() == "failed", TimeSpan.FromSeconds(90), "the start to fail");
        Assert.Contains(api.Requests, r => r.Contains("/log?", StringComparison.Ordinal) && r.EndsWith(" 503", StringComparison.Ordinal));
        Assert.DoesNotContain("503", failed.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        await Eventually.UntilAsync(() => Task.FromResult(api.Objects(ResourceKind.Pods).Count + api.Objects(ResourceKind.Services).Count + api.Objects(ResourceKind.NetworkPolicies).Count),
            n => n == 0, TimeSpan.FromSeconds(30), "the pod, service and network policy to be deleted");
    }

    private const int ShortTimeout = 10;
}
