using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.Bench;

/// <summary>
/// Issue #23: hub replicas as separate processes on one database. Route propagation — how long after one replica commits
/// a running (or stopping) environment the other routes it (or stops) — and proxy requests spread over two replicas
/// while one of them is restarted (SIGTERM, a new one started), errors counted per replica.
/// </summary>
internal static class ReplicasBench
{
    private const int Environments = 10;

    public static async Task RunAsync(string binary)
    {
        var database = await (await TestPostgres.SharedAsync()).CreateDatabaseAsync();
        var plugins = PluginFolder.With(PluginFolder.BuiltIn);
        var settings = new Dictionary<string, string>
        {
            ["Compute__Local__Root"] = TestFolders.Create("devplatform-bench-replicas-"),
            ["Compute__ConcurrentStartLimit"] = "100",
            ["Environments__ReconcileSeconds"] = "5",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var (a, urlA) = await HostProcess.StartAsync(database, plugins, settings);
        var (b, urlB) = await HostProcess.StartAsync(database, plugins, settings);
        using var onA = Client(urlA);
        using var onB = Client(urlB);
        await EnvironmentCatalog.SeedAsync(onA, new { maxRunningEnvironmentsPerUser = 100 }, EnvironmentCatalog.WebProfile("fast", command: [binary]));

        var (started, stopped) = await PropagationAsync(onA, onB, database);
        Console.WriteLine($"route propagation A → B, environment running (commit → B answers 200): {Percentiles.Describe(started)}");
        Console.WriteLine($"route propagation A → B, environment stopping (commit → B answers 503): {Percentiles.Describe(stopped)}");

        for (var i = 0; i < Environments; i++)
        {
            await ApiAssert.OkAsync(await onA.PostAsJsonAsync("/api/users/alice/environments", new { name = $"work{i}", profile = "fast" }), HttpStatusCode.Accepted);
        }

        for (var i = 0; i < Environments; i++)
        {
            await EnvironmentCatalog.WaitForStateAsync(onA, "alice", $"work{i}", "running");
        }

        using var load = new CancellationTokenSource();
        var throughB = Enumerable.Range(0, 8).Select(i => UserAsync(urlB, $"work{i % Environments}", load.Token)).ToList();
        var throughA = Enumerable.Range(0, 8).Select(i => UserAsync(urlA, $"work{i % Environments}", load.Token)).ToList();
        await Task.Delay(TimeSpan.FromSeconds(3));
        var restart = Stopwatch.StartNew();
        await HostProcess.StopAsync(a); // the rolling restart: SIGTERM the old replica …
        var stoppedAfter = restart.Elapsed;
        var (c, urlC) = await HostProcess.StartAsync(database, plugins, settings); // … and start its successor
        var readyAfter = restart.Elapsed;
        var throughC = Enumerable.Range(0, 8).Select(i => UserAsync(urlC, $"work{i % Environments}", load.Token)).ToList();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await load.CancelAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rolling restart under load ({Environments} environments, 8 connections per replica): A stopped {stoppedAfter.TotalSeconds:0.0} s after SIGTERM, its successor C ready after {readyAfter.TotalSeconds:0.0} s"));
        Report("B (stays up)", await Task.WhenAll(throughB));
        Report("A (SIGTERMed)", await Task.WhenAll(throughA));
        Report("C (new)", await Task.WhenAll(throughC));

        using var onC = Client(urlC);
        for (var i = 0; i < Environments; i++)
        {
            await onC.DeleteAsync(new Uri($"/api/users/alice/environments/work{i}", UriKind.Relative));
        }

        await HostProcess.StopAsync(b);
        await HostProcess.StopAsync(c);
    }

    /// <summary>Each environment launched through A and stopped through A, 50 times; B polled as fast as it answers.</summary>
    private static async Task<(List<double> Started, List<double> Stopped)> PropagationAsync(HttpClient onA, HttpClient onB, string database)
    {
        var started = new List<double>();
        var stopped = new List<double>();
        for (var i = 0; i < 50; i++)
        {
            var name = $"hop{i}";
            var path = new Uri($"/user/alice/{name}/", UriKind.Relative);
            await ApiAssert.OkAsync(await onA.PostAsJsonAsync("/api/users/alice/environments", new { name, profile = "fast" }), HttpStatusCode.Accepted);
            var routed = await FirstAsync(onB, path, HttpStatusCode.OK);
            started.Add((routed - await TransitionAtAsync(database, name, "Running")).TotalMilliseconds);
            await ApiAssert.OkAsync(await onA.PostAsync(new Uri($"/api/users/alice/environments/{name}/stop", UriKind.Relative), null), HttpStatusCode.Accepted);
            var unrouted = await FirstAsync(onB, path, HttpStatusCode.ServiceUnavailable);
            stopped.Add((unrouted - await TransitionAtAsync(database, name, "Stopping")).TotalMilliseconds);
            await EnvironmentCatalog.WaitForStateAsync(onA, "alice", name, "stopped");
            await onA.DeleteAsync(new Uri($"/api/users/alice/environments/{name}", UriKind.Relative));
        }

        return (started, stopped);
    }

    /// <summary>When B first answered with <paramref name="status"/>, polled back to back (same clock as the database's event times).</summary>
    private static async Task<DateTimeOffset> FirstAsync(HttpClient client, Uri path, HttpStatusCode status)
    {
        while (true)
        {
            using var response = await client.GetAsync(path);
            if (response.StatusCode == status)
            {
                return DateTimeOffset.UtcNow;
            }
        }
    }

    private static async Task<DateTimeOffset> TransitionAtAsync(string database, string name, string state) =>
        await Sql.ScalarAsync<DateTime>(database, $"""
            SELECT max(ev.at) FROM environment_events ev JOIN environments e ON e.id = ev.environment_id
            WHERE e.name = '{name}' AND ev.transition AND ev.state = '{state}'
            """);

    private static async Task<(int Ok, int Failed, string? FirstError)> UserAsync(Uri replica, string environment, CancellationToken stop)
    {
        using var client = Client(replica);
        var (ok, failed, first) = (0, 0, (string?)null);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var response = await client.GetAsync(new Uri($"/user/alice/{environment}/", UriKind.Relative), CancellationToken.None);
                if (response.IsSuccessStatusCode)
                {
                    ok++;
                    continue;
                }

                first ??= $"HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException e)
            {
                first ??= e.Message;
                await Task.Delay(50, CancellationToken.None); // the replica is gone: a real client backs off too
            }

            failed++;
        }

        return (ok, failed, first);
    }

    private static void Report(string replica, (int Ok, int Failed, string? FirstError)[] users) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  through {replica}: {users.Sum(u => u.Ok)} answered, {users.Sum(u => u.Failed)} failed{(users.FirstOrDefault(u => u.FirstError is not null).FirstError is { } e ? $" (first: {e})" : "")}"));

    private static HttpClient Client(Uri url) => new() { BaseAddress = url, DefaultRequestHeaders = { Authorization = new("Bearer", PlatformFactory.AdminToken) } };
}
