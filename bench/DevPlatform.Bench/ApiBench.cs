using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using DevPlatform.IntegrationTests.Fixtures;
using Npgsql;

namespace DevPlatform.Bench;

/// <summary>
/// Every list endpoint of <c>/api</c>, the single-resource GETs and the console pages people load most, at 10,000
/// users (in 20 groups), 2,000 environments (20 of them alice's), 20,000 audit events and 30 days of hourly usage:
/// wrk for 5 s per call after a 2 s warm-up of each, API at 64 connections, console pages at 16.
/// </summary>
internal static class ApiBench
{
    private const int ApiConnections = 64;
    private const int ConsoleConnections = 16;
    private static readonly int Seconds = int.TryParse(Environment.GetEnvironmentVariable("BENCH_SECONDS"), out var s) ? s : 5;
    private const int WarmUpSeconds = 2;
    private static readonly int WarmUpRounds = int.TryParse(Environment.GetEnvironmentVariable("BENCH_WARMUP_ROUNDS"), out var r) ? r : 2;
    private static readonly string[] TokenScopes = ["environments"];

    /// <param name="only">Measure only the calls whose path contains this (e.g. while profiling one), or all.</param>
    public static async Task RunAsync(PlatformFactory host, Browser alice, HttpClient admin, string? only)
    {
        using var root = new Browser(host.BaseAddress);
        await root.LoginAsync("root"); // Auth:DevAdmins: the admin console pages
        await SeedAsync(host, alice, admin);
        var user = $"Cookie: {alice.Cookies.GetCookieHeader(host.BaseAddress)}";
        var administrator = $"Cookie: {root.Cookies.GetCookieHeader(host.BaseAddress)}";
        var token = $"Authorization: Bearer {PlatformFactory.AdminToken}";
        // BENCH_HOLD=/tmp/file: the seeded host waits before the load, its address, database and headers written to that file,
        // until the file is deleted — for EXPLAIN ANALYZE, psql or dotnet-trace against the very data measured.
        if (Environment.GetEnvironmentVariable("BENCH_HOLD") is { } hold)
        {
            File.WriteAllText(hold, $"{host.BaseAddress}\n{host.ConnectionString}\n{user}\n{administrator}\n{token}\n");
            while (File.Exists(hold)) { await Task.Delay(1000); }
        }

        var api = new (string Path, string Header)[]
        {
            ("/api/users/alice/environments", user),
            ("/api/users/alice/environments?state=stopped", user),
            ("/api/users/alice/tokens", user),
            ("/api/users/alice/ssh-keys", user),
            ("/api/environments?limit=50", token),
            ("/api/environments?limit=50&offset=1000", token),
            ("/api/environments?user=user500", token),
            ("/api/environments?group=g7&limit=50", token),
            ("/api/environments?profile=fast&limit=50", token),
            ("/api/environments?state=stopped&limit=50", token),
            ("/api/users?limit=50&offset=5000", token),
            ("/api/users?q=user12&limit=50", token),
            ("/api/users?group=g7&limit=50", token),
            ("/api/users?admin=false&limit=50", token),
            ("/api/groups?limit=50", token),
            ("/api/groups/g7/members?limit=50", token),
            ("/api/audit?limit=50", token),
            ("/api/audit?resourceType=environment&limit=50", token),
            ("/api/usage?by=user", token),
            ("/api/usage?by=group", token),
            ("/api/usage/environments?group=g6", token), // g6 holds 99 environments' usage (g7 none)
            ("/api/profiles", token),
            ("/api/pools", token),
            ("/api/me", user),
            ("/api/users/alice/environments/env1", user),
            ("/api/users/user5000", token),
            ("/api/groups/g7", token),
            ("/api/profiles/fast", token),
        };
        var console = new (string Path, string Header)[]
        {
            ("/", user), ("/launch", user), ("/environments/env1", user),
            ("/admin/users", administrator), ("/admin/groups", administrator), ("/admin/environments", administrator),
            ("/admin/costs", administrator), ("/admin/audit", administrator),
        };
        foreach (var (path, header) in api.Concat(console))
        {
            using var check = new HttpRequestMessage(HttpMethod.Get, new Uri(host.BaseAddress, path));
            var (name, value) = (header[..header.IndexOf(':', StringComparison.Ordinal)], header[(header.IndexOf(':', StringComparison.Ordinal) + 2)..]);
            check.Headers.TryAddWithoutValidation(name, value);
            using var plain = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false });
            using var answer = await plain.SendAsync(check);
            if (answer.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"GET {path} answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
            }
        }

        bool Chosen((string Path, string Header) call) => only is null || call.Path.Contains(only, StringComparison.Ordinal);
        // Every call warmed before any is measured: the JIT's tiering and the connections' prepared statements settle over
        // ~20 s of load on two saturated cores, so warming each call just before it measured it by its place in the order.
        WarmUp([.. api.Where(Chosen)], ApiConnections, host.BaseAddress);
        WarmUp([.. console.Where(Chosen)], ConsoleConnections, host.BaseAddress);
        Measure("api", [.. api.Where(Chosen)], ApiConnections, host.BaseAddress);
        Measure("console", [.. console.Where(Chosen)], ConsoleConnections, host.BaseAddress);
        Console.WriteLine(HostMemory.Describe("after the load, 10,000 users and 2,000 environments"));
    }

    private static void WarmUp((string Path, string Header)[] calls, int connections, Uri baseAddress)
    {
        for (var round = 0; round < WarmUpRounds; round++)
        {
            foreach (var (path, header) in calls)
            {
                Wrk.Run(new Uri(baseAddress, path).ToString(), connections, WarmUpSeconds, header);
            }
        }
    }

    private static void Measure(string kind, (string Path, string Header)[] calls, int connections, Uri baseAddress)
    {
        foreach (var (path, header) in calls)
        {
            var url = new Uri(baseAddress, path).ToString();
            Wrk.Run(url, connections, WarmUpSeconds, header);
            var (machine, host) = (MachineCpu.Busy(), Environment.CpuUsage.TotalTime);
            var result = Wrk.Run(url, connections, Seconds, header);
            var requests = result.RequestsPerSecond * Seconds;
            var hostMs = (Environment.CpuUsage.TotalTime - host).TotalMilliseconds / requests;
            var restMs = ((MachineCpu.Busy() - machine).TotalMilliseconds / requests) - hostMs - (result.ClientMicrosPerRequest / 1000);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{kind} c={connections} GET {path}: {result.RequestsPerSecond:0} req/s p50 {result.P50Ms:0.00} ms p99 {result.P99Ms:0.00} ms (non-2xx {result.Errors}); " +
                $"CPU per request: host {hostMs:0.000} ms, PostgreSQL and kernel {restMs:0.000} ms"));
        }
    }

    /// <summary>
    /// 10,000 users (alice, root, user1 … user9998) in groups g1 … g20; 2,000 stopped environments copied from a real one
    /// (alice's env1 … env20, one each for user21 … user1999 in their group); audit events and hourly usage; alice's
    /// tokens and keys through the API.
    /// </summary>
    private static async Task SeedAsync(PlatformFactory host, Browser alice, HttpClient admin)
    {
        (await alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "template", profile = "fast" })).EnsureSuccessStatusCode();
        await EnvironmentCatalog.WaitForStateAsync(alice.Client, "alice", "template", "running");
        (await alice.Client.PostAsync(new Uri("/api/users/alice/environments/template/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await EnvironmentCatalog.WaitForStateAsync(alice.Client, "alice", "template", "stopped");
        for (var i = 0; i < 5; i++)
        {
            (await alice.Client.PostAsJsonAsync("/api/users/alice/tokens", new { name = $"token{i}", scopes = TokenScopes, expiresInDays = 30 })).EnsureSuccessStatusCode();
        }

        var keys = Directory.CreateTempSubdirectory("devplatform-bench-keys-");
        for (var i = 0; i < 3; i++)
        {
            var (_, publicLine) = await SshKeyFiles.NewAsync(keys.FullName, comment: $"alice@host{i}");
            (await alice.Client.PostAsJsonAsync("/api/users/alice/ssh-keys", new { name = $"key{i}", publicKey = publicLine })).EnsureSuccessStatusCode();
        }

        keys.Delete(recursive: true);
        for (var i = 1; i <= 20; i++)
        {
            (await admin.PostAsJsonAsync("/api/groups", new { name = $"g{i}", displayName = $"Group {i}" })).EnsureSuccessStatusCode();
        }

        await using var connection = new NpgsqlConnection(host.ConnectionString);
        await connection.OpenAsync();
        const string seed = """
            INSERT INTO users (name, admin, disabled, created_at, updated_at)
              SELECT 'user' || g, false, false, now(), now() FROM generate_series(1, 9998) g ON CONFLICT (name) DO NOTHING;
            INSERT INTO memberships (group_id, user_id, role, created_at)
              SELECT (SELECT id FROM groups WHERE name = 'g' || (u.id % 20 + 1)), u.id, 'Member', now() FROM users u;
            INSERT INTO environments (id, user_id, name, group_name, profile_name, pool_name, request, spec, state, backend, cpu_request, memory_request,
                                      accelerators, hourly_rate, start_timeout_seconds, created_at, updated_at)
              SELECT gen_random_uuid(), CASE WHEN g <= 20 THEN e.user_id ELSE (SELECT id FROM users WHERE name = 'user' || g) END,
                     'env' || g, CASE WHEN g <= 20 THEN e.group_name ELSE 'g' || (g % 20 + 1) END, e.profile_name, e.pool_name, e.request, e.spec, 'Stopped',
                     e.backend, e.cpu_request, e.memory_request, e.accelerators, e.hourly_rate, e.start_timeout_seconds, now(), now()
              FROM environments e, generate_series(1, 1999) g WHERE e.name = 'template';
            INSERT INTO audit_events (at, actor, action, resource_type, resource_name, after)
              SELECT now() - g * interval '1 minute', 'user' || (g % 9998 + 1), 'create', CASE WHEN g % 2 = 0 THEN 'environment' ELSE 'token' END,
                     'user' || (g % 9998 + 1) || '/env' || g, '{"state": "pending"}'::jsonb
              FROM generate_series(1, 20000) g;
            INSERT INTO usage_hours (environment_id, environment_name, hour, user_name, group_name, profile_name, pool_name, cpu_request,
                                     memory_request, accelerators, seconds, measured_seconds, cpu_used_core_seconds, memory_used_byte_seconds, cost)
              SELECT e.id, e.name, date_trunc('hour', now()) - h * interval '1 hour', u.name, e.group_name, e.profile_name, 'cpu', e.cpu_request,
                     e.memory_request, e.accelerators, 3600, 3600, 1800, e.memory_request * 1800.0, e.hourly_rate
              FROM environments e JOIN users u ON u.id = e.user_id, generate_series(0, 23) h
              WHERE e.name IN (SELECT 'env' || g FROM generate_series(1, 2000, 4) g);
            ANALYZE;
            """;
        await using var command = new NpgsqlCommand(seed, connection) { CommandTimeout = 300 };
        await command.ExecuteNonQueryAsync();
        // As a database in service is: vacuumed (visibility map for index-only scans), so autovacuum does not run on the
        // fresh rows during the first measurements.
        await using var vacuum = new NpgsqlCommand("VACUUM ANALYZE", connection) { CommandTimeout = 300 };
        await vacuum.ExecuteNonQueryAsync();
    }
}
