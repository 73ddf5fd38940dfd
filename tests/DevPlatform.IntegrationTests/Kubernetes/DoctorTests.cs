using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Kubernetes;

/// <summary>`DevPlatform.Platform doctor` run as a process: what is wrong, and how to fix it, with exit code 1.</summary>
public sealed class DoctorTests
{
    [Fact]
    public async Task AMissingPermission_IsNamedWithTheFix()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        api.Denied.Add("/pods/delete");
        api.Denied.Add("apps/deployments/patch");
        var config = await api.KubeConfigFileAsync();
        var database = await (await TestPostgres.SharedAsync()).CreateDatabaseAsync();
        await using (var migrated = new PlatformFactory(database, PluginFolder.With(PluginFolder.BuiltIn), new Dictionary<string, string?>()))
        {
            migrated.CreateAdminClient().Dispose(); // starts the host once: the schema is applied
        }

        var (code, stdout, stderr) = await HostProcess.RunCommandAsync(["doctor"], database, PluginFolder.With(PluginFolder.BuiltIn),
            new Dictionary<string, string> { ["Compute__Backend"] = "kubernetes", ["Kubernetes__KubeConfig"] = config });
        Assert.True(code == 1, stdout + stderr);
        Assert.Contains("ok    database: reachable, schema current", stdout, StringComparison.Ordinal);
        Assert.Contains("FAIL  kubernetes: the service account may not delete pods; patch deployments.apps — fix: apply deploy/kubernetes/base/rbac.yaml", stdout, StringComparison.Ordinal);
        Assert.Contains("1 required check(s) failed.", stdout, StringComparison.Ordinal);
        Assert.Equal(global::DevPlatform.Kubernetes.Client.RequiredPermissions.All.Count, api.Requests.Count(r => r.Contains("selfsubjectaccessreviews", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AnUnreachableDatabase_IsReportedWithTheSettingToCheck()
    {
        var (code, stdout, stderr) = await HostProcess.RunCommandAsync(["doctor"], $"Host=127.0.0.1;Port={TestPostgres.FreePort()};Database=devplatform;Username=devplatform;Timeout=3",
            PluginFolder.With(PluginFolder.BuiltIn));
        Assert.True(code == 1, stdout + stderr);
        Assert.Contains("FAIL  database: cannot connect (", stdout, StringComparison.Ordinal);
        Assert.Contains("fix: check ConnectionStrings:Platform", stdout, StringComparison.Ordinal);
        Assert.Contains("ok    storage: Local disk is writable", stdout, StringComparison.Ordinal);
    }
}
