using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Security;

/// <summary>
/// Launch limits under a burst of parallel requests, spread over two hosts on one database (two replicas behind one
/// Service): exactly as many get in as the limit allows, the rest are refused with the numbers.
/// </summary>
public sealed class ParallelLaunchTests
{
    private static readonly object Slow = EnvironmentCatalog.WebProfile("slow", startTimeoutSeconds: 120, command: ["python3", "-c", "import time; time.sleep(600)", "marker-parallel-launch-" + EnvironmentCatalog.RunMarker]);

    private static async Task<(PlatformFactory A, PlatformFactory B)> TwoHostsAsync(object policy, string startLimit = "64")
    {
        var database = await (await TestPostgres.SharedAsync()).CreateDatabaseAsync();
        var plugins = PluginFolder.With(PluginFolder.BuiltIn);
        var settings = new Dictionary<string, string?>
        {
            ["Compute:Local:Root"] = TestFolders.Create("devplatform-local-"), ["Compute:ConcurrentStartLimit"] = startLimit, ["Jobs:Enabled"] = "false", ["Hub:ApiUrl"] = "http://127.0.0.1:9/hub/api",
        };
        var a = new PlatformFactory(database, plugins, settings);
        var b = new PlatformFactory(database, plugins, settings);
        await EnvironmentCatalog.SeedAsync(a.CreateAdminClient(), policy, Slow);
        return (a, b);
    }

    /// <summary>Fires all launches at once, half through each host; returns the status codes and the bodies of refusals.</summary>
    private static async Task<List<(HttpStatusCode Status, string Body)>> BurstAsync(PlatformFactory a, PlatformFactory b, int count, Func<int, string> user, Func<int, string>? name = null)
    {
        using var clientA = a.CreateAdminClient();
        using var clientB = b.CreateAdminClient();
        var responses = await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            using var response = await (i % 2 == 0 ? clientA : clientB).PostAsJsonAsync($"/api/users/{user(i)}/environments", new { name = name?.Invoke(i) ?? $"p{i}", profile = "slow" });
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }));
        var accepted = responses.Count(r => r.StatusCode == HttpStatusCode.Accepted);
        Assert.True(accepted > 0, $"none accepted: {string.Join(" | ", responses.Take(3).Select(r => $"{(int)r.StatusCode} {r.Item2}"))}");
        return [.. responses];
    }

    private static async Task CleanUpAsync(PlatformFactory a, PlatformFactory b)
    {
        using var admin = a.CreateAdminClient();
        var all = await admin.GetFromJsonAsync<JsonElement>("/api/environments?limit=500");
        foreach (var environment in all.GetProperty("items").EnumerateArray())
        {
            await admin.DeleteAsync(new Uri($"/api/users/{environment.GetProperty("user").GetString()}/environments/{environment.GetProperty("name").GetString()}", UriKind.Relative));
        }

        await a.DisposeAsync();
        await b.DisposeAsync();
        EnvironmentCatalog.KillProcessesWith("marker-parallel-launch-" + EnvironmentCatalog.RunMarker);
    }

    [Fact]
    public async Task ThirtyParallelLaunches_PerUserLimitTwo_ExactlyTwoAccepted()
    {
        var (a, b) = await TwoHostsAsync(new { maxRunningEnvironmentsPerUser = 2 });
        try
        {
            var results = await BurstAsync(a, b, 30, _ => "alice");
            Assert.Equal(2, results.Count(r => r.Status == HttpStatusCode.Accepted));
            Assert.All(results.Where(r => r.Status != HttpStatusCode.Accepted), r =>
            {
                Assert.Equal(HttpStatusCode.Conflict, r.Status);
                Assert.Contains("\"limit\":\"maxRunningEnvironmentsPerUser\"", r.Body, StringComparison.Ordinal);
            });
        }
        finally
        {
            await CleanUpAsync(a, b);
        }
    }

    [Fact]
    public async Task ParallelLaunches_GroupCpuQuotaOne_NeverMoreThanOneCpu()
    {
        var (a, b) = await TwoHostsAsync(new { maxRunningEnvironmentsPerUser = 50, cpuQuota = "1" });
        try
        {
            var results = await BurstAsync(a, b, 16, i => i % 4 == 0 ? "bob" : "alice"); // 500m each
            Assert.Equal(2, results.Count(r => r.Status == HttpStatusCode.Accepted));
            Assert.All(results.Where(r => r.Status != HttpStatusCode.Accepted), r => Assert.Contains("\"limit\":\"cpuQuota\"", r.Body, StringComparison.Ordinal));
        }
        finally
        {
            await CleanUpAsync(a, b);
        }
    }

    [Fact]
    public async Task ParallelLaunches_HubStartLimitThree_RestGet429()
    {
        var (a, b) = await TwoHostsAsync(new { maxRunningEnvironmentsPerUser = 50 }, startLimit: "3");
        try
        {
            var results = await BurstAsync(a, b, 20, i => i % 2 == 0 ? "bob" : "alice");
            Assert.Equal(3, results.Count(r => r.Status == HttpStatusCode.Accepted));
            Assert.All(results.Where(r => r.Status != HttpStatusCode.Accepted), r => Assert.Equal(HttpStatusCode.TooManyRequests, r.Status));
        }
        finally
        {
            await CleanUpAsync(a, b);
        }
    }

    [Fact]
    public async Task ParallelLaunches_OfOneName_OneAccepted_TheRestToldTheNameIsTaken()
    {
        var (a, b) = await TwoHostsAsync(new { maxRunningEnvironmentsPerUser = 50 });
        try
        {
            var results = await BurstAsync(a, b, 20, _ => "alice", _ => "same");
            Assert.Equal(1, results.Count(r => r.Status == HttpStatusCode.Accepted));
            Assert.All(results.Where(r => r.Status != HttpStatusCode.Accepted), r =>
            {
                Assert.Equal(HttpStatusCode.Conflict, r.Status);
                Assert.Contains("You already have an environment named 'same'", r.Body, StringComparison.Ordinal); // not a bare constraint error
            });
        }
        finally
        {
            await CleanUpAsync(a, b);
        }
    }
}
