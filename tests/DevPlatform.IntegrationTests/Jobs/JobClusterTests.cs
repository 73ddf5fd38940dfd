using System.Net;
using DevPlatform.IntegrationTests.Fixtures;
using Npgsql;

namespace DevPlatform.IntegrationTests.Jobs;

/// <summary>Two hosts (real processes) on one database: both are Hangfire servers, and each firing of a job runs once.</summary>
public sealed class JobClusterTests
{
    [Fact]
    public async Task TwoHostsOnOneDatabase_RunEachFiringOnce()
    {
        var database = await (await TestPostgres.SharedAsync()).CreateDatabaseAsync();
        var plugins = PluginFolder.With(PluginFolder.BuiltIn);
        var settings = new Dictionary<string, string> { ["Environments__ReconcileSeconds"] = "1", ["Jobs__CheckinSeconds"] = "1" };
        var (first, firstUrl) = await HostProcess.StartAsync(database, plugins, settings); // the first migrates; then the second joins
        using (first)
        using (HostProcess.KillOnExit(first))
        {
            var (second, _) = await HostProcess.StartAsync(database, plugins, settings);
            using (second)
            using (HostProcess.KillOnExit(second))
            {
                await Eventually.UntilAsync(() => Sql.ScalarAsync(database, "SELECT count(*) FROM hangfire.server"), n => n == 2, TimeSpan.FromSeconds(30), "both hosts to check in");
                using var admin = new HttpClient { BaseAddress = firstUrl };
                admin.DefaultRequestHeaders.Authorization = new("Bearer", PlatformFactory.AdminToken);
                await ApiAssert.OkAsync(await admin.PostAsync(new Uri("/api/jobs/idle-culler/run", UriKind.Relative), null), HttpStatusCode.Accepted);

                await Eventually.UntilAsync(() => Sql.ScalarAsync(database, "SELECT count(*) FROM job_runs WHERE job = 'reconciler'"), n => n >= 10, TimeSpan.FromSeconds(60), "ten reconciler firings");
                var firings = await FiringsAsync(database);
                Assert.Equal(firings.Count, firings.Distinct().Count()); // every run serves a firing of its own: none ran on both hosts
                Assert.True(firings.Count >= 10);
                const string manual = "SELECT count(*) FROM job_runs WHERE job = 'idle-culler' AND trigger = 'admin'";
                await Eventually.UntilAsync(() => Sql.ScalarAsync(database, manual), n => n >= 1, TimeSpan.FromSeconds(30), "the requested run");
                var reconciled = await Sql.ScalarAsync(database, "SELECT count(*) FROM job_runs WHERE job = 'reconciler'");
                await Eventually.UntilAsync(() => Sql.ScalarAsync(database, "SELECT count(*) FROM job_runs WHERE job = 'reconciler'"), n => n >= reconciled + 3, TimeSpan.FromSeconds(30), "three more firings");
                Assert.Equal(1, await Sql.ScalarAsync(database, manual)); // one request, one run, on one of the two hosts
                Assert.Equal("", await Sql.ScalarAsync<string>(database, "SELECT coalesce(string_agg(job || ' ' || outcome || ': ' || coalesce(summary, ''), '; '), '') FROM job_runs WHERE outcome NOT IN ('Succeeded', 'Running')")); // a firing still in flight is not a failure
                await HostProcess.StopAsync(second);
            }

            await HostProcess.StopAsync(first);
        }
    }

    private static async Task<List<DateTimeOffset>> FiringsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT scheduled_for FROM job_runs WHERE job = 'reconciler' ORDER BY started_at", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var starts = new List<DateTimeOffset>();
        while (await reader.ReadAsync())
        {
            starts.Add(reader.GetFieldValue<DateTimeOffset>(0));
        }

        return starts;
    }
}
