using DevPlatform.IntegrationTests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DevPlatform.IntegrationTests.Environments;

/// <summary>
/// A host starting up beside others, and the reconciler's periodic pass: a start another live host is running is left to
/// it; one whose host is gone is carried on by this host — here its workload has died, so it ends Failed with the reason.
/// </summary>
public sealed class MultiHostReconcileTests
{
    private const string Expected = "The workload ended before it was ready (the process has exited).";

    [Fact]
    public async Task StartUp_LeavesStartsOfLiveHostsAlone_AndCarriesOnThoseOfGoneHosts()
    {
        var database = await (await TestPostgres.SharedAsync()).CreateDatabaseAsync();
        await using (var first = await PlatformFactory.CreateLiveAsync(connectionString: database))
        {
            await StoppedTemplateAsync(first.CreateAdminClient());
        }

        await InsertStartsAsync(database, ("host-a", "now()"), ("host-b", "now() - interval '10 minutes'"));
        await using var second = await PlatformFactory.CreateLiveAsync(connectionString: database);
        Assert.True((await second.CreateAdminClient().GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode); // start-up reconcile has run
        var states = await Eventually.UntilAsync(() => StatesAsync(database), s => s.Count == 2 && !s[1].StartsWith("on-b Starting", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "on-b to be carried on");
        Assert.Equal("on-a Starting host-a", states[0]);
        Assert.StartsWith("on-b Failed ", states[1]);
        Assert.EndsWith(Expected, states[1]);
    }

    [Fact]
    public async Task PeriodicPass_CarriesOnStartsOfAHostThatStoppedCheckingIn_LeavesLiveHostsAlone()
    {
        var database = await (await TestPostgres.SharedAsync()).CreateDatabaseAsync();
        await using var host = await PlatformFactory.CreateLiveAsync(new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" }, connectionString: database);
        await StoppedTemplateAsync(host.CreateAdminClient());
        await InsertStartsAsync(database, ("host-live", "now() + interval '1 hour'"), ("host-killed", "now() - interval '10 minutes'"));
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DevPlatform.Environments.EnvironmentReconciler>().PassAsync(CancellationToken.None); // the reconciler job's pass
        }

        var states = await Eventually.UntilAsync(() => StatesAsync(database), s => s.Count == 2 && !s[1].StartsWith("on-b Starting", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "on-b to be carried on");
        Assert.Equal("on-a Starting host-live", states[0]);
        Assert.StartsWith("on-b Failed ", states[1]);
        Assert.EndsWith(Expected, states[1]);
    }

    /// <summary>A launched and stopped environment whose spec and (dead) workload state the inserted starts copy.</summary>
    private static async Task StoppedTemplateAsync(HttpClient admin)
    {
        await EnvironmentCatalog.SeedAsync(admin);
        await ApiAssert.OkAsync(await admin.PostAsync(new Uri("/api/users/alice/environments", UriKind.Relative),
            System.Net.Http.Json.JsonContent.Create(new { name = "template", profile = "web" })), System.Net.HttpStatusCode.Accepted);
        await EnvironmentCatalog.WaitForStateAsync(admin, "alice", "template", "running");
        await ApiAssert.OkAsync(await admin.PostAsync(new Uri("/api/users/alice/environments/template/stop", UriKind.Relative), null), System.Net.HttpStatusCode.Accepted);
        await EnvironmentCatalog.WaitForStateAsync(admin, "alice", "template", "stopped");
    }

    /// <summary>on-a started by the first host, on-b by the second, each host last seen when given; both workloads recorded.</summary>
    private static async Task InsertStartsAsync(string database, (string Node, string SeenAt) a, (string Node, string SeenAt) b)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand($"""
            INSERT INTO hosts (node, started_at, last_seen_at) VALUES ('{a.Node}', now() - interval '1 hour', {a.SeenAt}), ('{b.Node}', now() - interval '1 hour', {b.SeenAt});
            INSERT INTO environments (id, user_id, name, group_name, profile_name, request, spec, state, backend, backend_state, endpoint, cpu_request, memory_request, accelerators,
                                      pool_name, hourly_rate, start_timeout_seconds, created_at, updated_at, host)
            SELECT gen_random_uuid(), t.user_id, e.name, t.group_name, t.profile_name, t.request, t.spec, 'Starting', t.backend, t.backend_state, t.endpoint, t.cpu_request,
                   t.memory_request, t.accelerators, t.pool_name, t.hourly_rate, 60, now(), now(), e.host
            FROM environments t, (VALUES ('on-a', '{a.Node}'), ('on-b', '{b.Node}')) AS e(name, host) WHERE t.name = 'template';
            """, connection);
        Assert.Equal(4, await insert.ExecuteNonQueryAsync());
    }

    private static async Task<List<string>> StatesAsync(string database)
    {
        await using var read = new NpgsqlConnection(database);
        await read.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT name, state, CASE WHEN state = 'Starting' THEN host ELSE coalesce(failure_reason, '') END FROM environments WHERE name LIKE 'on-%' ORDER BY name", read);
        await using var rows = await query.ExecuteReaderAsync();
        var states = new List<string>();
        while (await rows.ReadAsync())
        {
            states.Add($"{rows.GetString(0)} {rows.GetString(1)} {rows.GetString(2)}".TrimEnd());
        }

        return states;
    }
}
