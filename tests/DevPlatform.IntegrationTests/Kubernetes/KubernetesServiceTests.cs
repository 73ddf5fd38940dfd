using System.Net;
using System.Net.Http.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Kubernetes;

/// <summary>
/// A shared service with Compute:Backend = kubernetes: a Deployment, Service, Secret, data claim and NetworkPolicy
/// applied to an API server that validates them against the official schemas; gone again on stop, data kept.
/// </summary>
public sealed class KubernetesServiceTests
{
    [Fact]
    public async Task AService_BecomesValidClusterObjects_ReachableOnlyByTheHubAndItsGroups()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        var config = await api.KubeConfigFileAsync();
        await using var factory = await PlatformFactory.CreateAsync(new Dictionary<string, string?>
        {
            ["Compute:Backend"] = "kubernetes", ["Kubernetes:KubeConfig"] = config, ["Hub:ApiUrl"] = "http://devplatform.devplatform.svc.cluster.local/hub/api",
        });
        var admin = factory.CreateAdminClient();
        await EnvironmentCatalog.SeedAsync(admin);
        var mlflow = new
        {
            name = "mlflow", image = "ghcr.io/mlflow/mlflow:v2.17.0", pool = "cpu", allowedGroups = new[] { "lab" }, port = 5000, volumeSize = "20Gi",
            command = new[] { "mlflow", "server", "--host", "{ip}", "--port", "{port}", "--backend-store-uri", "postgresql://mlflow@db/mlflow", "--artifacts-destination", "s3://lab-mlflow/artifacts" },
            secrets = new Dictionary<string, string> { ["PGPASSWORD"] = "pg-secret" },
            variables = new Dictionary<string, string> { ["MLFLOW_TRACKING_URI"] = "{url}" },
        };
        var created = await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/services", mlflow), HttpStatusCode.Created);
        Assert.Equal("starting", created.GetProperty("state").GetString()); // running means a replica is available

        // The Deployment's pod waits for a node: the service says so, and stays starting (the proxy does not route to it).
        var deployment = Assert.Single(api.Objects(ResourceKind.Deployments, "devplatform"));
        var serviceId = (string)deployment["metadata"]!["labels"]!["devplatform.io/service-id"]!;
        api.Create(ResourceKind.Pods, "devplatform", "svc-mlflow-7d4b9c-x2x8q", new System.Text.Json.Nodes.JsonObject
        {
            ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["labels"] = new System.Text.Json.Nodes.JsonObject { ["devplatform.io/service-id"] = serviceId } },
            ["spec"] = deployment["spec"]!["template"]!["spec"]!.DeepClone(),
            ["status"] = new System.Text.Json.Nodes.JsonObject { ["phase"] = "Pending" },
        });
        api.RecordEvent("devplatform", "svc-mlflow-7d4b9c-x2x8q", "Warning", "FailedScheduling", "0/2 nodes are available: 2 Insufficient cpu.");
        var events = await Eventually.UntilAsync(() => admin.GetStringAsync(new Uri("/api/services/mlflow/events", UriKind.Relative)),
            e => e.Contains("0 of 1 replicas available: Waiting for a node", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the service's progress");
        Assert.Contains("no node can take it yet (0/2 nodes are available: 2 Insufficient cpu.)", events, StringComparison.Ordinal);
        Assert.Equal("starting", (await ApiAssert.OkAsync(await admin.GetAsync(new Uri("/api/services/mlflow", UriKind.Relative)))).GetProperty("state").GetString());

        api.Mutate(ResourceKind.Deployments, "devplatform", "svc-mlflow", d => d["status"] = new System.Text.Json.Nodes.JsonObject { ["replicas"] = 1, ["availableReplicas"] = 1 });
        await Eventually.UntilAsync(async () => (await ApiAssert.OkAsync(await admin.GetAsync(new Uri("/api/services/mlflow", UriKind.Relative)))).GetProperty("state").GetString(),
            s => s == "running", TimeSpan.FromSeconds(30), "the service to be running once a replica is available");

        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal(["mlflow", "server", "--host", "0.0.0.0", "--port", "5000"], container["command"]!.AsArray().Take(6).Select(c => (string?)c));
        var password = container["env"]!.AsArray().Single(e => (string?)e!["name"] == "PGPASSWORD")!;
        Assert.Equal("svc-mlflow", (string?)password["valueFrom"]!["secretKeyRef"]!["name"]);
        Assert.DoesNotContain("pg-secret", deployment.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("pg-secret", (string?)api.Find(ResourceKind.Secrets, "devplatform", "svc-mlflow")!["stringData"]!["PGPASSWORD"]);
        Assert.Equal("20Gi", (string?)api.Find(ResourceKind.PersistentVolumeClaims, "devplatform", "svc-mlflow-data")!["spec"]!["resources"]!["requests"]!["storage"]);
        Assert.Equal(5000L, (long?)api.Find(ResourceKind.Services, "devplatform", "svc-mlflow")!["spec"]!["ports"]![0]!["port"]);
        var from = api.Find(ResourceKind.NetworkPolicies, "devplatform", "svc-mlflow")!["spec"]!["ingress"]![0]!["from"]!.AsArray();
        Assert.Equal("devplatform", (string?)from[0]!["podSelector"]!["matchLabels"]!["app.kubernetes.io/name"]);
        Assert.Equal(["lab"], from[1]!["podSelector"]!["matchExpressions"]![0]!["values"]!.AsArray().Select(v => (string?)v));

        var stopped = await ApiAssert.OkAsync(await admin.PostAsync(new Uri("/api/services/mlflow/stop", UriKind.Relative), null));
        Assert.Equal("stopped", stopped.GetProperty("state").GetString());
        Assert.Empty(api.Objects(ResourceKind.Deployments, "devplatform"));
        Assert.Null(api.Find(ResourceKind.Secrets, "devplatform", "svc-mlflow"));
        Assert.NotNull(api.Find(ResourceKind.PersistentVolumeClaims, "devplatform", "svc-mlflow-data")); // its data stays
    }
}
