using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Services;

/// <summary>The platform restarts while a shared service runs: the new host adopts the same workload instead of starting another.</summary>
public sealed class SharedServiceRestartTests
{
    [Fact]
    public async Task AfterAPlatformRestart_TheRunningServiceIsAdopted_NotStartedTwice()
    {
        var database = await (await TestPostgres.SharedAsync()).CreateDatabaseAsync();
        var plugins = PluginFolder.With(PluginFolder.BuiltIn);
        var settings = new Dictionary<string, string?>
        {
            ["Compute:Local:Root"] = TestFolders.Create("devplatform-local-"), ["Services:SuperviseSeconds"] = "1",
            ["Hub:ApiUrl"] = "http://127.0.0.1:5080/hub/api", // no listening address in a test server; a real host has one
        };
        JsonElement before;
        await using (var first = new PlatformFactory(database, plugins, settings))
        {
            var admin = first.CreateAdminClient();
            await EnvironmentCatalog.SeedAsync(admin);
            before = await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/services", SharedServicesTests.TrackerSpec(["lab"])), HttpStatusCode.Created);
            Assert.Equal("running", before.GetProperty("state").GetString());
        }

        await using var second = new PlatformFactory(database, plugins, settings);
        var again = second.CreateAdminClient();
        try
        {
            var adopted = await Eventually.UntilAsync(async () => await again.GetFromJsonAsync<JsonElement>("/api/services/tracker"),
                s => s.GetProperty("host").GetString() != before.GetProperty("host").GetString(), TimeSpan.FromSeconds(30), "the new host to adopt the service");
            Assert.Equal("running", adopted.GetProperty("state").GetString());
            Assert.Equal(0, adopted.GetProperty("restarts").GetInt32());
            Assert.Equal(before.GetProperty("startedAt").GetString(), adopted.GetProperty("startedAt").GetString()); // the same workload, not a new one
            var events = (await again.GetFromJsonAsync<JsonElement>("/api/services/tracker/events")).EnumerateArray().Select(e => e.GetProperty("message").GetString()).ToList();
            Assert.Equal(["Starting", "Running at /services/tracker/", "Supervised by this host now"], events.Where(e => !e!.StartsWith("Started ", StringComparison.Ordinal)));
        }
        finally
        {
            await again.DeleteAsync(new Uri("/api/services/tracker", UriKind.Relative));
        }
    }
}
