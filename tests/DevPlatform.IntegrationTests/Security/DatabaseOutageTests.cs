extern alias apphost;

using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using apphost::DevPlatform.AppHost;
using DevPlatform.IntegrationTests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DevPlatform.IntegrationTests.Security;

/// <summary>PostgreSQL goes away under light load and comes back: the host stays up, says it is not ready, and recovers by itself.</summary>
public sealed class DatabaseOutageTests
{
    [Fact]
    public async Task PostgresStoppedUnderLoad_HostSurvives_NotReadyMeanwhile_RecoversWithNothingLost()
    {
        var binaries = PostgresBinaries.Find() ?? throw new InvalidOperationException(PostgresBinaries.InstallHint);
        var cluster = new PostgresCluster(binaries, Directory.CreateTempSubdirectory("devplatform-pg-outage-").FullName, forTests: true);
        await cluster.StartAsync("outage-secret", TestPostgres.FreePort(), CancellationToken.None);
        await cluster.EnsureDatabaseAsync("platform", "outage-secret", CancellationToken.None);
        var settings = new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "true", ["Jobs:CheckinSeconds"] = "1", ["Jobs:IdleWaitSeconds"] = "1" };
        var host = await PlatformFactory.CreateLiveAsync(settings, connectionString: cluster.ConnectionString("platform", "outage-secret"));
        try
        {
            using (var seeding = host.CreateAdminClient()) // a cold host's first requests may take longer than 10 s on a busy 2-core machine
            {
                await EnvironmentCatalog.SeedAsync(seeding);
            }

            using var admin = host.CreateAdminClient();
            admin.Timeout = TimeSpan.FromSeconds(10); // during the outage: a host that died must fail the test, not stall it
            using var alice = new Browser(host.BaseAddress);
            await alice.LoginAsync("alice");
            await ApiAssert.OkAsync(await alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "web1", profile = "web" }), HttpStatusCode.Accepted);
            await EnvironmentCatalog.WaitForStateAsync(alice.Client, "alice", "web1", "running");

            await cluster.StopAsync(CancellationToken.None);
            var outageBegan = DateTimeOffset.UtcNow;
            var readiness = new List<string>();
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(15)) // the outage: light load the whole time (background loops fail many times over)
            {
                using var ready = await admin.GetAsync(new Uri("/readyz", UriKind.Relative));
                readiness.Add($"{(int)ready.StatusCode} {await ready.Content.ReadAsStringAsync()}");
                Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
                using var proxied = await admin.GetAsync(new Uri("/user/alice/web1/during-outage", UriKind.Relative)); // routes are in memory: marks activity
                await Task.Delay(250); // pacing of the load, not a wait for an outcome
            }

            var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
            Assert.False(lifetime.ApplicationStopping.IsCancellationRequested, "a background service ended the host during the outage");
            Assert.Contains(readiness, r => r.StartsWith("503 Unhealthy", StringComparison.Ordinal) && r.Contains("database: database does not answer", StringComparison.Ordinal));

            await cluster.StartAsync("outage-secret", cluster.Port, CancellationToken.None);
            await Eventually.UntilAsync(async () => (await admin.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "the host to be ready again");

            await ApiAssert.OkAsync(await alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "web2", profile = "web" }), HttpStatusCode.Accepted);
            await EnvironmentCatalog.WaitForStateAsync(alice.Client, "alice", "web2", "running");
            Assert.Equal(HttpStatusCode.OK, (await alice.FollowAsync("/user/alice/web1/after")).Response.StatusCode);
            var web1 = await Eventually.UntilAsync(
                async () => await admin.GetFromJsonAsync<JsonElement>("/api/users/alice/environments/web1"),
                e => e.GetProperty("lastActivityAt").ValueKind == JsonValueKind.String && e.GetProperty("lastActivityAt").GetDateTimeOffset() >= outageBegan,
                TimeSpan.FromSeconds(30), "activity from the outage to be recorded");
            Assert.Equal("running", web1.GetProperty("state").GetString());
            foreach (var name in new[] { "web1", "web2" })
            {
                await admin.DeleteAsync(new Uri($"/api/users/alice/environments/{name}", UriKind.Relative));
            }
        }
        finally
        {
            await host.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60)); // a wedged host fails the test instead of stalling the run
            await cluster.StopAsync(CancellationToken.None);
            Directory.Delete(cluster.Root, recursive: true);
        }
    }
}
