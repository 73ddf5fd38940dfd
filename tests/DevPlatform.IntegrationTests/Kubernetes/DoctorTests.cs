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
        var database = await MigratedDatabaseAsync();

        var (code, stdout, stderr) = await HostProcess.RunCommandAsync(["doctor"], database, PluginFolder.With(PluginFolder.BuiltIn),
            new Dictionary<string, string> { ["Compute__Backend"] = "kubernetes", ["Kubernetes__KubeConfig"] = config });
        Assert.True(code == 1, stdout + stderr);
        Assert.Contains("ok    database: reachable, schema current", stdout, StringComparison.Ordinal);
        Assert.Contains("FAIL  kubernetes: the service account may not delete pods; patch deployments.apps — fix: apply deploy/kubernetes/base/rbac.yaml", stdout, StringComparison.Ordinal);
        Assert.Contains("1 required check(s) failed.", stdout, StringComparison.Ordinal);
        Assert.Equal(global::DevPlatform.Kubernetes.Client.RequiredPermissions.All.Count, api.Requests.Count(r => r.Contains("selfsubjectaccessreviews", StringComparison.Ordinal)));
    }

    /// <summary>The role as first shipped (patch without create): doctor must not say all is well.</summary>
    [Fact]
    public async Task ARoleWithoutCreate_Fails_AndAMissingExecPlugin_IsOneFailingLineNotACrash()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        api.Granted = [.. global::DevPlatform.Kubernetes.Client.RequiredPermissions.All.Where(p => p.Verb != "create").Select(p => $"{p.Group}/{p.Resource}/{p.Verb}")];
        var config = await api.KubeConfigFileAsync();
        var database = await MigratedDatabaseAsync();

        var (code, stdout, stderr) = await HostProcess.RunCommandAsync(["doctor"], database, PluginFolder.With(PluginFolder.BuiltIn),
            new Dictionary<string, string> { ["Compute__Backend"] = "kubernetes", ["Kubernetes__KubeConfig"] = config });
        Assert.True(code == 1, stdout + stderr);
        Assert.Contains("FAIL  kubernetes: the service account may not create pods; create services;", stdout, StringComparison.Ordinal);
        Assert.Contains("create namespaces", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("permissions granted", stdout, StringComparison.Ordinal);

        var execConfig = Path.Combine(Path.GetTempPath(), $"kubeconfig-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(execConfig, api.KubeConfig("exec", "/nonexistent/aws-iam-authenticator", "token", "-i", "lab"));
        try
        {
            (code, stdout, stderr) = await HostProcess.RunCommandAsync(["doctor"], database, PluginFolder.With(PluginFolder.BuiltIn),
                new Dictionary<string, string> { ["Compute__Backend"] = "kubernetes", ["Kubernetes__KubeConfig"] = execConfig });
        }
        finally
        {
            File.Delete(execConfig);
        }

        Assert.True(code == 1, stdout + stderr);
        Assert.Contains("FAIL  kubernetes: cannot load the cluster configuration (", stdout, StringComparison.Ordinal);
        Assert.Contains("exec plugin, if any, is installed on this machine", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", stdout + stderr, StringComparison.Ordinal);
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

    /// <summary>A fresh database with the schema applied (a host started once), as doctor would find it on an installed platform.</summary>
    private static async Task<string> MigratedDatabaseAsync()
    {
        var database = await (await TestPostgres.SharedAsync()).CreateDatabaseAsync();
        await using (var migrated = new PlatformFactory(database, PluginFolder.With(PluginFolder.BuiltIn), new Dictionary<string, string?>()))
        {
            migrated.CreateAdminClient().Dispose(); // starts the host once: the schema is applied
        }

        return database;
    }
}
