using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net.Http.Json;
using DevPlatform.Costs;
using DevPlatform.Environments;
using DevPlatform.IntegrationTests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DevPlatform.Bench;

/// <summary>
/// The idle culler's and the usage meter's passes over 5,000 running environments (copies of one real environment
/// whose workloads are gone, so the backend answers at once): wall time per pass and database round trips, counted
/// from Npgsql's own command metrics.
/// </summary>
internal static class Passes
{
    public static async Task RunAsync(PlatformFactory host, Browser alice, int count)
    {
        var launched = await alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "template", profile = "fast" });
        launched.EnsureSuccessStatusCode();
        await EnvironmentCatalog.WaitForStateAsync(alice.Client, "alice", "template", "running");
        await CopyAsync(host.ConnectionString, count - 1);
        Console.WriteLine($"{count} running environments");

        using var commands = new CommandCounter();
        foreach (var (name, pass) in new (string, Func<IServiceProvider, Task<string>>)[]
        {
            ("idle-culler", s => s.GetRequiredService<EnvironmentCuller>().CullIdleAsync(default)),
            ("max-age-culler", s => s.GetRequiredService<EnvironmentCuller>().CullAgedAsync(default)),
            ("usage-meter", s => s.GetRequiredService<UsageMeter>().MeterAsync(null, default)),
        })
        {
            var times = new List<double>();
            var trips = new List<long>();
            string summary = "";
            for (var i = 0; i < 7; i++)
            {
                await using var scope = host.Services.CreateAsyncScope();
                var before = commands.Count;
                var clock = Stopwatch.StartNew();
                summary = await pass(scope.ServiceProvider);
                times.Add(clock.Elapsed.TotalMilliseconds);
                trips.Add(commands.Count - before);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: {Percentiles.Describe(times)}; round trips per pass {trips.Min()}–{trips.Max()} ({summary})"));
        }
    }

    /// <summary>Copies the template environment's row (same profile and spec; a workload pid that no longer exists).</summary>
    private static async Task CopyAsync(string connectionString, int copies)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var copy = new NpgsqlCommand("""
            INSERT INTO environments (id, user_id, name, group_name, profile_name, request, spec, state, backend, backend_state, endpoint, failure_reason,
                cpu_request, memory_request, accelerators, pool_name, hourly_rate, metered_until, start_timeout_seconds, created_at, updated_at, started_at,
                stopped_at, last_activity_at, cull_warned_at)
            SELECT gen_random_uuid(), e.user_id, 'copy' || n, e.group_name, e.profile_name, e.request, e.spec, e.state, e.backend,
                jsonb_set(e.backend_state, '{Pid}', '2147483000'), e.endpoint, NULL, e.cpu_request, e.memory_request, e.accelerators, e.pool_name,
                e.hourly_rate, e.metered_until, e.start_timeout_seconds, e.created_at, e.updated_at, e.started_at, NULL, now(), NULL
            FROM environments e, generate_series(1, $1) AS n WHERE e.name = 'template'
            """, connection);
        copy.Parameters.Add(new NpgsqlParameter { Value = copies });
        await copy.ExecuteNonQueryAsync();
    }

    /// <summary>Counts commands Npgsql sends (its duration histogram records one measurement per command).</summary>
    private sealed class CommandCounter : IDisposable
    {
        private readonly MeterListener listener = new();
        private long count;

        public CommandCounter()
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name.StartsWith("Npgsql", StringComparison.Ordinal) && instrument.Name.Contains("duration", StringComparison.Ordinal)
                    && (instrument.Name.Contains("command", StringComparison.Ordinal) || instrument.Name.Contains("operation", StringComparison.Ordinal)))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref count));
            listener.Start();
        }

        public long Count => Interlocked.Read(ref count);

        public void Dispose() => listener.Dispose();
    }
}
