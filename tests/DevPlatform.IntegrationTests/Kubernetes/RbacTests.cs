using System.Net;
using System.Net.Http.Json;
using DevPlatform.IntegrationTests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace DevPlatform.IntegrationTests.Kubernetes;

/// <summary>
/// The ClusterRole in deploy/kubernetes/base grants exactly what the platform needs: a full run (environments in a group
/// namespace on EFS, their progress, logs and usage, a stop, a shared service started, watched and stopped, the stray
/// sweep) goes to an API server that enforces the role as RBAC would — an apply of an object that does not exist yet is
/// authorised as <c>create</c> as well as <c>patch</c> — and the set of (API group, resource, verb) it authorised equals
/// the role's rules and what <c>doctor</c> checks.
/// </summary>
public sealed class RbacTests
{
    [Fact]
    public async Task TheClusterRole_GrantsEveryVerbThePlatformNeeds_AndNothingMore()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        var granted = await GrantedAsync();
        api.Granted = granted; // the production install: anything else is 403 Forbidden
        var config = await api.KubeConfigFileAsync();
        await using (var factory = await PlatformFactory.CreateAsync(new Dictionary<string, string?>
        {
            ["Compute:Backend"] = "kubernetes", ["Kubernetes:KubeConfig"] = config, ["Kubernetes:NamespacePerGroup"] = "true",
            ["Kubernetes:EfsFileSystemId"] = "fs-0123456789abcdef0", ["Storage:Provider"] = "efs", ["Storage:Efs:MountPath"] = TestFolders.Create("devplatform-efs-"),
            ["Hub:ApiUrl"] = "http://devplatform.devplatform.svc.cluster.local/hub/api",
        }))
        {
            var admin = factory.CreateAdminClient();
            await EnvironmentCatalog.SeedAsync(admin, new { cpuQuota = "8", storageQuota = "15Gi" });
            await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/users/alice/environments", new { name = "nb", profile = "jupyter" }), HttpStatusCode.Accepted);
            var pod = (await Eventually.UntilAsync(() => Task.FromResult(api.Objects(ResourceKind.Pods, "dp-lab")), p => p.Count == 1, TimeSpan.FromSeconds(30), "the pod"))[0];
            var name = (string)pod["metadata"]!["name"]!;
            await Eventually.UntilAsync(() => Task.FromResult(api.Checked.Contains("/pods/watch")), watched => watched, TimeSpan.FromSeconds(30),
                "the start to watch its pod (what the run must include before it is stopped)");
            api.RecordEvent("dp-lab", name, "Normal", "Scheduled", "Successfully assigned");
            api.Mutate(ResourceKind.Pods, "dp-lab", name, p => p["status"] = System.Text.Json.Nodes.JsonNode.Parse(
                """{"phase":"Running","containerStatuses":[{"name":"environment","ready":false,"restartCount":0,"image":"x","imageID":"","state":{"running":{}}}]}"""));
            await Eventually.UntilAsync(() => Task.FromResult(api.Checked.Contains("/pods/get")), polled => polled, TimeSpan.FromSeconds(30),
                "the readiness probe to poll the running pod (before the stop below cancels it)");
            api.WriteLog("dp-lab", name, "started\n");
            await Eventually.UntilAsync(() => admin.GetStringAsync(new Uri("/api/users/alice/environments/nb/logs", UriKind.Relative)), l => l.Contains("started", StringComparison.Ordinal),
                TimeSpan.FromSeconds(30), "the logs");
            // What the meter and the usage view ask for a running environment (it cannot pass readiness against a fake pod).
            var backend = factory.Services.GetRequiredService<DevPlatform.Compute.SelectedBackend>().Backend;
            await backend.GetUsageAsync(null!, System.Text.Json.JsonSerializer.SerializeToElement(new DevPlatform.Kubernetes.Compute.KubernetesState("dp-lab", name, "home-alice")), CancellationToken.None);
            await ApiAssert.OkAsync(await admin.PostAsync(new Uri("/api/users/alice/environments/nb/stop", UriKind.Relative), null), HttpStatusCode.Accepted);
            await Eventually.UntilAsync(() => Task.FromResult(api.Objects(ResourceKind.Pods).Count), n => n == 0, TimeSpan.FromSeconds(30), "the pod to go");
            await backend.StopStraysAsync((_, _) => Task.FromResult<IReadOnlySet<Guid>>(new HashSet<Guid>()), CancellationToken.None);

            await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/services", new
            {
                name = "mlflow", image = "ghcr.io/mlflow/mlflow:v2.17.0", command = new[] { "mlflow", "server" }, pool = "cpu", allowedGroups = new[] { "lab" },
                volumeSize = "10Gi", secrets = new Dictionary<string, string> { ["PGPASSWORD"] = "x" },
            }), HttpStatusCode.Created);
            await Eventually.UntilAsync(() => admin.GetStringAsync(new Uri("/api/services/mlflow/events", UriKind.Relative)),
                e => e.Contains("0 of 1 replicas available", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the service's progress (its Deployment read)");
            await admin.GetStringAsync(new Uri("/api/services/mlflow/logs", UriKind.Relative));
            await ApiAssert.OkAsync(await admin.PostAsync(new Uri("/api/services/mlflow/stop", UriKind.Relative), null));
        }

        Assert.DoesNotContain(api.Requests, r => r.EndsWith(" 403", StringComparison.Ordinal));
        Assert.Equal(granted.Order(StringComparer.Ordinal), global::DevPlatform.Kubernetes.Client.RequiredPermissions.All.Select(p => $"{p.Group}/{p.Resource}/{p.Verb}").Order(StringComparer.Ordinal)); // what doctor checks
        var used = api.Checked;
        Assert.True(granted.SetEquals(used), $"used but not granted: {string.Join(", ", used.Except(granted).Order(StringComparer.Ordinal))}; granted but not used: {string.Join(", ", granted.Except(used).Order(StringComparer.Ordinal))}");
    }

    /// <summary>The role as released: an apply of a missing namespace is refused as the real API server refuses it.</summary>
    [Fact]
    public async Task WithoutCreate_AnApplyOfAMissingObjectIsForbidden_AsTheRealServerSaysIt()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        api.Granted = ["/namespaces/patch"];
        using var client = global::DevPlatform.Kubernetes.Client.ClusterConnection.Connect(await api.KubeConfigFileAsync(), null, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var refused = await Assert.ThrowsAsync<global::DevPlatform.Kubernetes.Client.KubernetesApiException>(() =>
            client.ApplyAsync(new k8s.Models.V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new k8s.Models.V1ObjectMeta { Name = "dp-lab2" } }, null, default));
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal($"namespaces \"dp-lab2\" is forbidden: User \"{FakeKubernetesApi.ServiceAccount}\" cannot create resource \"namespaces\" in API group \"\" at the cluster scope", refused.ServerMessage);
        api.Granted.Add("/namespaces/create");
        await client.ApplyAsync(new k8s.Models.V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new k8s.Models.V1ObjectMeta { Name = "dp-lab2" } }, null, default);
        api.Granted.Remove("/namespaces/create");
        await client.ApplyAsync(new k8s.Models.V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new k8s.Models.V1ObjectMeta { Name = "dp-lab2", Labels = new Dictionary<string, string> { ["a"] = "b" } } }, null, default); // an update is a patch only
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
}
