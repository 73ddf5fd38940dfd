using System.Net;
using System.Net.Http.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Proxy;

/// <summary>
/// Two hub replicas (real processes) on one database: an environment started through one is reachable through the other
/// at once, and one stopped through the second stops being routed by the first — the routes follow the database, not
/// the host that acted.
/// </summary>
public sealed class ReplicaRoutingTests
{
    [Fact]
    public async Task LaunchedThroughA_OpensThroughB_StoppedThroughB_AStopsRouting()
    {
        var database = await (await TestPostgres.SharedAsync()).CreateDatabaseAsync();
        var plugins = PluginFolder.With(PluginFolder.BuiltIn);
        var settings = new Dictionary<string, string> { ["Auth__Providers__0"] = "dev", ["Proxy__RouteRefreshSeconds"] = "3600" }; // only NOTIFY can tell B
        var (a, urlA) = await HostProcess.StartAsync(database, plugins, settings);
        using (a)
        using (HostProcess.KillOnExit(a))
        {
            var (b, urlB) = await HostProcess.StartAsync(database, plugins, settings);
            using (b)
            using (HostProcess.KillOnExit(b))
            {
                using var admin = new HttpClient { BaseAddress = urlA };
                admin.DefaultRequestHeaders.Authorization = new("Bearer", PlatformFactory.AdminToken);
                await EnvironmentCatalog.SeedAsync(admin);
                using var onA = new Browser(urlA);
                await onA.LoginAsync("alice");
                using var onB = new Browser(urlB, onA.Cookies); // the same browser; cookies are per host name, not port

                await ApiAssert.OkAsync(await onA.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "twice", profile = "web" }), HttpStatusCode.Accepted);
                await EnvironmentCatalog.WaitForStateAsync(onA.Client, "alice", "twice", "running");
                var throughB = await Eventually.UntilAsync(async () => (await onB.FollowAsync("/user/alice/twice/hello")).Response.StatusCode,
                    s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "replica B to route the environment A started");
                Assert.Equal(HttpStatusCode.OK, throughB);

                await ApiAssert.OkAsync(await onB.Client.PostAsync(new Uri("/api/users/alice/environments/twice/stop", UriKind.Relative), null), HttpStatusCode.Accepted);
                await EnvironmentCatalog.WaitForStateAsync(onB.Client, "alice", "twice", "stopped");
                var throughA = await Eventually.UntilAsync(async () => (await onA.FollowAsync("/user/alice/twice/hello")).Response.StatusCode,
                    s => s == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(10), "replica A to stop routing the environment B stopped");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, throughA);
                await HostProcess.StopAsync(b);
            }

            await HostProcess.StopAsync(a);
        }
    }
}
