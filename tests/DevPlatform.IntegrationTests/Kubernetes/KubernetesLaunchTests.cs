using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;
using DevPlatform.Kubernetes.Client;
using DevPlatform.Kubernetes.Compute;

namespace DevPlatform.IntegrationTests.Kubernetes;

/// <summary>A launch through the platform API with Compute:Backend = kubernetes; the test plays the kubelet.</summary>
public sealed class KubernetesLaunchTests
{
    [Fact]
    public async Task Launch_CreatesValidObjectsWithCostLabels_ShowsPodProgress_StopRemovesThem()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        var config = Path.GetTempFileName();
        await File.WriteAllTextAsync(config, api.KubeConfig());
        try
        {
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
        finally
        {
            File.Delete(config);
        }
    }
}
