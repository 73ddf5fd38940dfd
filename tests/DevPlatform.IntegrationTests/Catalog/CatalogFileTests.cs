using System.Net;
using System.Net.Http.Json;
using DevPlatform.Catalog.File;
using DevPlatform.IntegrationTests.Fixtures;
using DevPlatform.Resources;
using Microsoft.Extensions.DependencyInjection;

namespace DevPlatform.IntegrationTests.Catalog;

public sealed class CatalogFileTests : IAsyncLifetime
{
    private const string Good = """
        pools:
          - name: cpu
            acceleratorKind: cpu
            onDemandHourlyPrice: 0.19
            configuration: {instanceTypes: [m7i.xlarge, m7i.2xlarge]}
        profiles:
          - name: jupyter
            pool: cpu
            images: [{name: scipy, reference: "quay.io/jupyter/scipy-notebook:2025-01-06", default: true}]
            sizes: [{name: small, cpuRequest: 500m, cpuLimit: "1", memoryRequest: 1Gi, memoryLimit: 2Gi}]
        groups:
          - name: lab-a
            policy: {allowedProfiles: [jupyter], maxRunningEnvironmentsPerUser: 2, cpuQuota: "32"}
        """;

    private PlatformFactory factory = null!;

    public async Task InitializeAsync() => factory = await PlatformFactory.CreateAsync();

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private async Task<IReadOnlyList<AppliedChange>> ApplyAsync(string yaml, CatalogApplyMode mode = CatalogApplyMode.Everything)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CatalogFileApplier>().ApplyAsync(new StringReader(yaml), "catalog.yaml", "test", mode, CancellationToken.None);
    }

    [Fact]
    public async Task Apply_Twice_SecondChangesNothing()
    {
        var first = await ApplyAsync(Good);
        Assert.All(first, c => Assert.Equal(WriteOutcome.Created, c.Outcome));
        Assert.Equal(["pool", "profile", "group"], first.Select(c => c.ResourceType));

        var second = await ApplyAsync(Good);
        Assert.All(second, c => Assert.Equal(WriteOutcome.Unchanged, c.Outcome));
        var audit = await ApiAssert.OkAsync(await factory.CreateAdminClient().GetAsync("/api/audit"));
        Assert.Equal(4, audit.GetProperty("total").GetInt32()); // pool, profile, group, group-policy: once each

        var third = await ApplyAsync(Good.Replace("cpuQuota: \"32\"", "cpuQuota: \"64\"", StringComparison.Ordinal));
        Assert.Equal(WriteOutcome.Updated, third.Single(c => c.ResourceType == "group").Outcome);
    }

    [Fact]
    public async Task Apply_Errors_NameFileLinePathAndFix_AndApplyNothing()
    {
        var bad = Good
            .Replace("memoryLimit: 2Gi", "memoryLimit: 512Mi", StringComparison.Ordinal)
            .Replace("acceleratorKind: cpu", "acceleratorKind: cpu\n    colour: blue", StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<CatalogFileException>(() => ApplyAsync(bad));
        Assert.Contains(error.Problems, p => p.StartsWith("catalog.yaml:4:13: pools[0].colour: is not a known field", StringComparison.Ordinal));

        var limits = await Assert.ThrowsAsync<CatalogFileException>(() => ApplyAsync(Good.Replace("memoryLimit: 2Gi", "memoryLimit: 512Mi", StringComparison.Ordinal)));
        var problem = limits.Problems[0];
        Assert.Matches(@"^catalog\.yaml:10:\d+: profiles\[0\]\.sizes\[0\]\.memoryLimit: 512Mi is less than profiles\[0\]|^catalog\.yaml:10:\d+: profiles\[0\]\.sizes\[0\]\.memoryLimit: 512Mi is less than sizes\[0\]", problem);

        var users = await ApiAssert.OkAsync(await factory.CreateAdminClient().GetAsync("/api/pools"));
        Assert.Equal(0, users.GetProperty("total").GetInt32()); // the valid pool was rolled back too
    }

    [Fact]
    public async Task Apply_UnknownProfileInPolicyAndBadYaml_Reported()
    {
        var policy = await Assert.ThrowsAsync<CatalogFileException>(() => ApplyAsync(Good.Replace("allowedProfiles: [jupyter]", "allowedProfiles: [rstudio]", StringComparison.Ordinal)));
        Assert.Contains(policy.Problems, p => p.Contains("groups[0].policy.allowedProfiles[0]: no profile named 'rstudio'", StringComparison.Ordinal));

        var yaml = await Assert.ThrowsAsync<CatalogFileException>(() => ApplyAsync("pools:\n  - name: [unclosed\n"));
        Assert.Contains("not valid YAML", Assert.Single(yaml.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_WithBadCatalogFile_StaysUpNotReady_NamingTheProblem_AppliesNothing()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory().FullName, "catalog.yaml");
        await File.WriteAllTextAsync(file, Good.Replace("acceleratorKind: cpu", "acceleratorKind: tpu", StringComparison.Ordinal));
        await using var host = await PlatformFactory.CreateAsync(new Dictionary<string, string?> { ["Catalog:File"] = file });
        using var admin = host.CreateAdminClient();
        using var ready = await admin.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("catalog.yaml:3:22: pools[0].acceleratorKind: 'tpu' is not a known accelerator kind; known: aws-neuron, cpu, memory-optimised, nvidia-gpu, nvidia-mig, nvidia-timeslicing",
            await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty((await ApiAssert.OkAsync(await admin.GetAsync(new Uri("/api/pools", UriKind.Relative)))).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Apply_AliasBombAndDeepNesting_RefusedWithOneLine_ProcessSurvives()
    {
        var bomb = new System.Text.StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i <= 9; i++)
        {
            bomb.Append(System.Globalization.CultureInfo.InvariantCulture, $"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n");
        }

        var laughs = await Assert.ThrowsAsync<CatalogFileException>(() => ApplyAsync(bomb.ToString()));
        Assert.Contains("once aliases are expanded", Assert.Single(laughs.Problems), StringComparison.Ordinal);

        var deep = await Assert.ThrowsAsync<CatalogFileException>(() => ApplyAsync("pools: " + new string('[', 20_000)));
        Assert.Contains("nested more than 64 levels deep", Assert.Single(deep.Problems), StringComparison.Ordinal);
        Assert.Matches("^catalog.yaml:1:", deep.Problems[0]);
    }

    [Fact]
    public async Task Startup_WithGoodCatalogFile_Applies()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory().FullName, "catalog.yaml");
        await File.WriteAllTextAsync(file, Good);
        await using var host = await PlatformFactory.CreateAsync(new Dictionary<string, string?> { ["Catalog:File"] = file });
        var group = await ApiAssert.OkAsync(await host.CreateAdminClient().GetAsync("/api/groups/lab-a/policy"));
        Assert.Equal("jupyter", group.GetProperty("allowedProfiles")[0].GetString());
    }

    [Fact]
    public async Task Restart_KeepsConsoleEditsToEntriesTheFileDidNotChange_AndTheFileWinsWhereItChanged()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory().FullName, "catalog.yaml");
        await File.WriteAllTextAsync(file, Good.Replace("  - name: lab-a", "  - name: lab-b\n    policy: {allowedProfiles: [jupyter]}\n  - name: lab-a", StringComparison.Ordinal));
        var settings = new Dictionary<string, string?> { ["Catalog:File"] = file };
        await using (var first = await PlatformFactory.CreateLiveAsync(settings, connectionString: factory.ConnectionString))
        {
            using var admin = first.CreateAdminClient();
            await ApiAssert.OkAsync(await admin.PutAsJsonAsync("/api/groups/lab-a/policy", new { allowedProfiles = Array.Empty<string>(), maxRunningEnvironmentsPerUser = 5 }));
            await ApiAssert.OkAsync(await admin.PutAsJsonAsync("/api/groups/lab-b/policy", new { allowedProfiles = Array.Empty<string>() }));
        }

        // The operator changes lab-b in the file; lab-a's entry is as it was.
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace("allowedProfiles: [jupyter]}\n  - name: lab-a", "allowedProfiles: [jupyter], cpuQuota: \"8\"}\n  - name: lab-a", StringComparison.Ordinal));
        await using var second = await PlatformFactory.CreateLiveAsync(settings, connectionString: factory.ConnectionString);
        using var again = second.CreateAdminClient();
        var kept = await ApiAssert.OkAsync(await again.GetAsync("/api/groups/lab-a/policy"));
        Assert.Empty(kept.GetProperty("allowedProfiles").EnumerateArray());
        Assert.Equal(5, kept.GetProperty("maxRunningEnvironmentsPerUser").GetInt32());
        var changed = await ApiAssert.OkAsync(await again.GetAsync("/api/groups/lab-b/policy"));
        Assert.Equal("jupyter", changed.GetProperty("allowedProfiles")[0].GetString());

        var managed = await ApiAssert.OkAsync(await again.GetAsync("/api/catalog-file/entries?resourceType=group"));
        Assert.Equal(["lab-a", "lab-b"], managed.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        Assert.All(managed.GetProperty("items").EnumerateArray(), e => Assert.Equal("catalog.yaml", e.GetProperty("file").GetString()));
    }
}
