using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;
using Npgsql;

namespace DevPlatform.IntegrationTests.Environments;

/// <summary>The host is SIGKILLed while environments run; after a restart each is re-attached, none doubled, none orphaned.</summary>
public sealed class HostRestartTests
{
    private readonly string Marker = $"marker-restart-{Guid.NewGuid():N}";

    [Fact]
    public async Task SigkillWithTwoRunning_Restart_BothReattachedNoneDuplicatedStrayStopped()
    {
        try
        {
            await RunAsync();
        }
        finally
        {
            EnvironmentCatalog.KillProcessesWith(Marker); // whatever happened, leave no workload behind
        }
    }

    private async Task RunAsync()
    {
        var database = await (await TestPostgres.SharedAsync()).CreateDatabaseAsync();
        var plugins = PluginFolder.With(PluginFolder.BuiltIn);
        var settings = new Dictionary<string, string>
        {
            ["Compute__Local__Root"] = TestFolders.Create("devplatform-restart-"),
            ["Environments__ReconcileSeconds"] = "1",
        };

        var (first, firstUrl) = await HostProcess.StartAsync(database, plugins, settings);
        using (first)
        using (HostProcess.KillOnExit(first))
        {
            using var admin = new HttpClient { BaseAddress = firstUrl };
            admin.DefaultRequestHeaders.Authorization = new("Bearer", PlatformFactory.AdminToken);
            await EnvironmentCatalog.SeedAsync(admin, null, EnvironmentCatalog.WebProfile("marked", command: ["python3", EnvironmentCatalog.EchoWorkload, Marker]));
            foreach (var name in new[] { "one", "two", "doomed" })
            {
                await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/users/alice/environments", new { name, profile = "marked" }), HttpStatusCode.Accepted);
                await EnvironmentCatalog.WaitForStateAsync(admin, "alice", name, "running");
            }

            Assert.Equal(3, EnvironmentCatalog.ProcessesWith(Marker));
            first.Kill(); // SIGKILL: no shutdown code runs
            await first.WaitForExitAsync();
        }

        Assert.Equal(3, EnvironmentCatalog.ProcessesWith(Marker)); // workloads outlive the host
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var forget = new NpgsqlCommand("DELETE FROM environments WHERE name = 'doomed'", connection);
            Assert.Equal(1, await forget.ExecuteNonQueryAsync()); // its workload is now a stray
        }

        var (second, secondUrl) = await HostProcess.StartAsync(database, plugins, settings);
        using (second)
        using (HostProcess.KillOnExit(second))
        {
            using var admin = new HttpClient { BaseAddress = secondUrl };
            admin.DefaultRequestHeaders.Authorization = new("Bearer", PlatformFactory.AdminToken);
            var environments = await admin.GetFromJsonAsync<JsonElement>("/api/users/alice/environments");
            Assert.Equal(["running", "running"], environments.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("state").GetString()));
            Assert.Equal(2, EnvironmentCatalog.ProcessesWith(Marker));
            foreach (var name in new[] { "one", "two" })
            {
                var echo = await ApiAssert.OkAsync(await admin.GetAsync(new Uri($"/user/alice/{name}/after-restart", UriKind.Relative)));
                Assert.Equal($"/user/alice/{name}/after-restart", echo.GetProperty("path").GetString());
                Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(new Uri($"/api/users/alice/environments/{name}", UriKind.Relative))).StatusCode);
            }

            Assert.Equal(0, EnvironmentCatalog.ProcessesWith(Marker));
            await HostProcess.StopAsync(second);
        }
    }

    /// <summary>The AppHost's Ctrl+C: with Environments:StopOnShutdown the host stops what it runs before it exits.</summary>
    [Fact]
    public async Task StopOnShutdown_SigtermStopsRunningEnvironments_NoWorkloadLeft()
    {
        try
        {
            var database = await (await TestPostgres.SharedAsync()).CreateDatabaseAsync();
            var settings = new Dictionary<string, string>
            {
                ["Compute__Local__Root"] = TestFolders.Create("devplatform-shutdown-"),
                ["Environments__StopOnShutdown"] = "true",
            };
            var (host, url) = await HostProcess.StartAsync(database, PluginFolder.With(PluginFolder.BuiltIn), settings);
            using (host)
            using (HostProcess.KillOnExit(host))
            {
                using var admin = new HttpClient { BaseAddress = url };
                admin.DefaultRequestHeaders.Authorization = new("Bearer", PlatformFactory.AdminToken);
                await EnvironmentCatalog.SeedAsync(admin, null, EnvironmentCatalog.WebProfile("marked", command: ["python3", EnvironmentCatalog.EchoWorkload, Marker]));
                await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/users/alice/environments", new { name = "one", profile = "marked" }), HttpStatusCode.Accepted);
                await EnvironmentCatalog.WaitForStateAsync(admin, "alice", "one", "running");
                Assert.Equal(1, EnvironmentCatalog.ProcessesWith(Marker));
                await HostProcess.StopAsync(host);
            }

            Assert.Equal(0, EnvironmentCatalog.ProcessesWith(Marker));
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var state = new NpgsqlCommand("SELECT state FROM environments WHERE name = 'one'", connection);
            Assert.Equal("Stopped", (string?)await state.ExecuteScalarAsync());
        }
        finally
        {
            EnvironmentCatalog.KillProcessesWith(Marker);
        }
    }
}
