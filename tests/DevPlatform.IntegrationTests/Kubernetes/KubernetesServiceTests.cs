using System.Net;
using System.Net.Http.Json;
using DevPlatform.IntegrationTests.Fixtures;
using DevPlatform.Kubernetes.Client;

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
        Assert.Equal("running", created.GetProperty("state").GetString());

        var deployment = Assert.Single(api.Objects(ResourceKind.Deployments, "devplatform"));
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
