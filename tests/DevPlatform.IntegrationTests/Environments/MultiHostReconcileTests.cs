using DevPlatform.IntegrationTests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DevPlatform.IntegrationTests.Environments;

/// <summary>
/// A host starting up beside others: a start another live host is running is left to it; one whose host stopped
/// saying it is alive is failed with the reason, as before.
/// </summary>
public sealed class MultiHostReconcileTests
{
    [Fact]
    public async Task StartUp_LeavesStartsOfLiveHostsAlone_AndFailsThoseOfGoneHosts()
    {
        var database = await (await TestPostgres.SharedAsync()).CreateDatabaseAsync();
        var plugins = PluginFolder.With(PluginFolder.BuiltIn);
        await using (var first = new PlatformFactory(database, plugins, new Dictionary<string, string?>()))
        {
            await EnvironmentCatalog.SeedAsync(first.CreateAdminClient());
        }

        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand("""
                INSERT INTO hosts (node, started_at, last_seen_at) VALUES ('host-a', now(), now()), ('host-b', now() - interval '1 hour', now() - interval '10 minutes');
                INSERT INTO environments (id, user_id, name, group_name, profile_name, request, spec, state, backend, cpu_request, memory_request, accelerators,
                                          pool_name, hourly_rate, start_timeout_seconds, created_at, updated_at, host)
                SELECT gen_random_uuid(), u.id, e.name, 'lab', 'web', '{}', '{}', 'Starting', 'local', 0.5, 268435456, 0, 'cpu', 0, 60, now(), now(), e.host
                FROM users u, (VALUES ('on-a', 'host-a'), ('on-b', 'host-b')) AS e(name, host) WHERE u.name = 'alice';
                """, connection);
            Assert.Equal(4, await insert.ExecuteNonQueryAsync());
        }

        await using var second = new PlatformFactory(database, plugins, new Dictionary<string, string?>());
        Assert.True((await second.CreateAdminClient().GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode); // start-up reconcile has run
        var states = await StatesAsync(database);
        Assert.Equal(["on-a Starting", "on-b Failed The platform restarted before the environment started; start it again."], states);
    }

    [Fact]
    public async Task PeriodicPass_FailsStartsOfAHostThatStoppedCheckingIn_LeavesLiveHostsAlone()
    {
        var database = await (await TestPostgres.SharedAsync()).CreateDatabaseAsync();
        await using var host = new PlatformFactory(database, PluginFolder.With(PluginFolder.BuiltIn), new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        await EnvironmentCatalog.SeedAsync(host.CreateAdminClient());
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand("""
                INSERT INTO hosts (node, started_at, last_seen_at) VALUES ('host-live', now(), now() + interval '1 hour'), ('host-killed', now() - interval '1 hour', now() - interval '10 minutes');
                INSERT INTO environments (id, user_id, name, group_name, profile_name, request, spec, state, backend, cpu_request, memory_request, accelerators,
                                          pool_name, hourly_rate, start_timeout_seconds, created_at, updated_at, host)
                SELECT gen_random_uuid(), u.id, e.name, 'lab', 'web', '{}', '{}', 'Starting', 'local', 0.5, 268435456, 0, 'cpu', 0, 60, now(), now(), e.host
                FROM users u, (VALUES ('on-live', 'host-live'), ('on-killed', 'host-killed')) AS e(name, host) WHERE u.name = 'alice';
                """, connection);
            Assert.Equal(4, await insert.ExecuteNonQueryAsync());
        }

        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DevPlatform.Environments.EnvironmentReconciler>().PassAsync(CancellationToken.None); // the reconciler job's pass
        }

        var states = await StatesAsync(database);
        Assert.Equal(["on-killed Failed The host that was starting it stopped before the workload was created; start it again.", "on-live Starting"], states);
    }

    private static async Task<List<string>> StatesAsync(string database)
    {
        await using var read = new NpgsqlConnection(database);
        await read.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT name, state, coalesce(failure_reason, '') FROM environments WHERE name LIKE 'on-%' ORDER BY name", read);
        await using var rows = await query.ExecuteReaderAsync();
        var states = new List<string>();
        while (await rows.ReadAsync())
        {
            states.Add($"{rows.GetString(0)} {rows.GetString(1)} {rows.GetString(2)}".TrimEnd());
        }

        return states;
    }
}
