using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using DevPlatform.IntegrationTests.Fixtures;
using DevPlatform.Kubernetes.Client;
using Microsoft.Extensions.DependencyInjection;

namespace DevPlatform.IntegrationTests.Kubernetes;

/// <summary>
/// The ClusterRole in deploy/kubernetes/base grants exactly what the platform calls: every request of a full run
/// (environments in a group namespace on EFS, their progress, logs and usage, a shared service started and stopped) is
/// turned into the (API group, resource, verb) RBAC would check, and the set equals the role's rules.
/// </summary>
public sealed partial class RbacTests
{
    [Fact]
    public async Task TheClusterRole_GrantsEveryVerbTheClientUses_AndNothingMore()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        var config = await api.KubeConfigFileAsync();
        await using (var factory = await PlatformFactory.CreateAsync(new Dictionary<string, string?>
        {
            ["Compute:Backend"] = "kubernetes", ["Kubernetes:KubeConfig"] = config, ["Kubernetes:NamespacePerGroup"] = "true",
            ["Kubernetes:EfsFileSystemId"] = "fs-0123456789abcdef0", ["Storage:Provider"] = "efs", ["Storage:Efs:MountPath"] = Directory.CreateTempSubdirectory("devplatform-efs-").FullName,
            ["Hub:ApiUrl"] = "http://devplatform.devplatform.svc.cluster.local/hub/api",
        }))
        {
            var admin = factory.CreateAdminClient();
            await EnvironmentCatalog.SeedAsync(admin, new { cpuQuota = "8" });
            await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/users/alice/environments", new { name = "nb", profile = "jupyter" }), HttpStatusCode.Accepted);
            var pod = (await Eventually.UntilAsync(() => Task.FromResult(api.Objects(ResourceKind.Pods, "dp-lab")), p => p.Count == 1, TimeSpan.FromSeconds(30), "the pod"))[0];
            var name = (string)pod["metadata"]!["name"]!;
            await Eventually.UntilAsync(() => Task.FromResult(WatchedPods(api)), watched => watched, TimeSpan.FromSeconds(30),
                "the start to watch its pod (what the run must include before it is stopped)");
            api.RecordEvent("dp-lab", name, "Normal", "Scheduled", "Successfully assigned");
            api.Mutate(ResourceKind.Pods, "dp-lab", name, p => p["status"] = System.Text.Json.Nodes.JsonNode.Parse(
                """{"phase":"Running","containerStatuses":[{"name":"environment","ready":false,"restartCount":0,"image":"x","imageID":"","state":{"running":{}}}]}"""));
            api.WriteLog("dp-lab", name, "started\n");
            await Eventually.UntilAsync(() => admin.GetStringAsync(new Uri("/api/users/alice/environments/nb/logs", UriKind.Relative)), l => l.Contains("started", StringComparison.Ordinal),
                TimeSpan.FromSeconds(30), "the logs");
            // What the meter and the usage view ask for a running environment (it cannot pass readiness against a fake pod).
            var backend = factory.Services.GetRequiredService<DevPlatform.Compute.SelectedBackend>().Backend;
            await backend.GetUsageAsync(null!, System.Text.Json.JsonSerializer.SerializeToElement(new DevPlatform.Kubernetes.Compute.KubernetesState("dp-lab", name, "home-alice")), CancellationToken.None);
            await ApiAssert.OkAsync(await admin.PostAsync(new Uri("/api/users/alice/environments/nb/stop", UriKind.Relative), null), HttpStatusCode.Accepted);
            await Eventually.UntilAsync(() => Task.FromResult(api.Objects(ResourceKind.Pods).Count), n => n == 0, TimeSpan.FromSeconds(30), "the pod to go");

            await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/services", new
            {
                name = "mlflow", image = "ghcr.io/mlflow/mlflow:v2.17.0", command = new[] { "mlflow", "server" }, pool = "cpu", allowedGroups = new[] { "lab" },
                volumeSize = "10Gi", secrets = new Dictionary<string, string> { ["PGPASSWORD"] = "x" },
            }), HttpStatusCode.Created);
            await admin.GetStringAsync(new Uri("/api/services/mlflow/logs", UriKind.Relative));
            await ApiAssert.OkAsync(await admin.PostAsync(new Uri("/api/services/mlflow/stop", UriKind.Relative), null));
        }

        var used = api.Requests.Select(Permission).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var granted = await GrantedAsync();
        Assert.Equal(granted.Order(StringComparer.Ordinal), global::DevPlatform.Kubernetes.Client.RequiredPermissions.All.Select(p => $"{p.Group}/{p.Resource}/{p.Verb}").Order(StringComparer.Ordinal)); // what doctor checks
        Assert.True(granted.SetEquals(used), $"used but not granted: {string.Join(", ", used.Except(granted).Order(StringComparer.Ordinal))}; granted but not used: {string.Join(", ", granted.Except(used).Order(StringComparer.Ordinal))}");
    }

    /// <summary>"GET /api/v1/namespaces/dp-lab/pods?watch=1 200" → "/pods/watch": what RBAC checks for the request.</summary>
    private static bool WatchedPods(FakeKubernetesApi api) => api.Requested(r => Permission(r) == "/pods/watch");

    private static string? Permission(string request)
    {
        var match = RequestLine().Match(request);
        if (!match.Success)
        {
            return null;
        }

        var (method, path, query) = (match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value);
        var parts = path.Trim('/').Split('/');
        var group = parts[0] == "api" ? "" : parts[1];
        var rest = parts.Skip(parts[0] == "api" ? 2 : 3).ToList();
        if (rest.Count >= 2 && rest[0] == "namespaces" && rest.Count > 2)
        {
            rest = rest.Skip(2).ToList();
        }

        var resource = rest.Count >= 3 ? $"{rest[0]}/{rest[2]}" : rest[0];
        var verb = method switch
        {
            "GET" when query.Contains("watch=1", StringComparison.Ordinal) || query.Contains("watch=true", StringComparison.Ordinal) => "watch",
            "GET" => rest.Count == 1 ? "list" : "get",
            "PATCH" => "patch",
            "DELETE" => "delete",
            "POST" => "create",
            "PUT" => "update",
            _ => method.ToLowerInvariant(),
        };
        return $"{group}/{resource}/{verb}";
    }

    private static async Task<HashSet<string>> GrantedAsync()
    {
        var role = (await DeploymentManifestsTests.RenderAsync()).Single(o => (string?)o["kind"] == "ClusterRole");
        KubernetesSchemas.Instance.AssertValid(role);
        return role["rules"]!.AsArray().SelectMany(rule =>
            from g in rule!["apiGroups"]!.AsArray()
            from r in rule["resources"]!.AsArray()
            from v in rule["verbs"]!.AsArray()
            select $"{(string?)g}/{(string?)r}/{(string?)v}").ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"^(GET|PATCH|DELETE|POST|PUT) ([^? ]+)\??([^ ]*) ")]
    private static partial Regex RequestLine();
}
