using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.Bench;

/// <summary>
/// The platform's own process (as `dotnet run` of the AppHost or the container starts it, not this benchmark's), its
/// resident memory idle and with 1,000 users created through the JupyterHub API and listed, under each runtime setting
/// compared: a fresh database and host per setting, one after another in one run; for the default and the workstation GC
/// also at 10,000 users and 2,000 environments after load at 64 connections (issue #24's size).
/// </summary>
internal static class MemoryBench
{
    private static readonly (string Name, Dictionary<string, string> Environment)[] Settings =
    [
        ("as built", []),
        ("server GC", new() { ["DOTNET_gcServer"] = "1" }),
        ("workstation GC", new() { ["DOTNET_gcServer"] = "0" }),
        ("W^X off", new() { ["DOTNET_EnableWriteXorExecute"] = "0" }),
        ("workstation GC, W^X off, no tiered PGO", new() { ["DOTNET_gcServer"] = "0", ["DOTNET_EnableWriteXorExecute"] = "0", ["DOTNET_TieredPGO"] = "0" }),
        ("workstation GC, gen0 budget 4 MiB", new() { ["DOTNET_gcServer"] = "0", ["DOTNET_GCgen0size"] = "400000" }),
        ("workstation GC, non-concurrent", new() { ["DOTNET_gcServer"] = "0", ["DOTNET_gcConcurrent"] = "0" }),
        ("workstation GC, tiered compilation off", new() { ["DOTNET_gcServer"] = "0", ["DOTNET_TieredCompilation"] = "0" }),
        ("workstation GC, conserve memory 9", new() { ["DOTNET_gcServer"] = "0", ["DOTNET_GCConserveMemory"] = "9" }),
        ("the same, invariant globalization", new()
        {
            ["DOTNET_gcServer"] = "0", ["DOTNET_EnableWriteXorExecute"] = "0", ["DOTNET_TieredPGO"] = "0", ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1",
        }),
    ];

    /// <param name="published">A published build's <c>DevPlatform.Platform.dll</c> to measure instead of the solution's build output.</param>
    public static async Task RunAsync(string? published)
    {
        var plugins = PluginFolder.With(PluginFolder.BuiltIn);
        foreach (var (name, environment) in Settings)
        {
            var database = await (await TestPostgres.SharedAsync()).CreateDatabaseAsync();
            var settings = new Dictionary<string, string>(environment)
            {
                ["Compute__Local__Root"] = TestFolders.Create("devplatform-bench-memory-"),
                ["Logging__LogLevel__Default"] = "Warning",
            };
            if (published is not null)
            {
                settings["ASPNETCORE_CONTENTROOT"] = Path.GetDirectoryName(Path.GetFullPath(published))!;
            }

            var (host, url) = await HostProcess.StartAsync(database, plugins, settings, published);
            try
            {
                using var client = new HttpClient { BaseAddress = url };
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", PlatformFactory.AdminToken);
                await SettleAsync();
                var idle = ResidentMib(host.Id);
                if (name is "as built" or "W^X off")
                {
                    Console.WriteLine($"memory, {name}, idle, where it is: {Breakdown(host.Id)}");
                }

                for (var batch = 0; batch < 10; batch++)
                {
                    var names = Enumerable.Range((batch * 100) + 1, 100).Select(i => $"user{i:0000}");
                    using var body = new StringContent(JsonSerializer.Serialize(new { usernames = names }), Encoding.UTF8, "application/json");
                    (await client.PostAsync(new Uri("/hub/api/users", UriKind.Relative), body)).EnsureSuccessStatusCode();
                }

                for (var page = 0; page < 50; page++)
                {
                    (await client.GetAsync(new Uri($"/hub/api/users?offset={page % 5 * 200}&limit=200", UriKind.Relative))).EnsureSuccessStatusCode();
                    (await client.GetAsync(new Uri($"/api/users?offset={page * 20}&limit=50", UriKind.Relative))).EnsureSuccessStatusCode();
                }

                await SettleAsync();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"memory, {name}: idle with no users RSS {idle:0.0} MiB; with 1,000 users created and listed RSS {ResidentMib(host.Id):0.0} MiB"));
                if (name is "as built" or "workstation GC")
                {
                    await LoadAsync(client, database, url);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"memory, {name}: with 10,000 users and 2,000 environments after 64 connections' load RSS {ResidentMib(host.Id):0.0} MiB (peak {PeakMib(host.Id):0.0} MiB)"));
                }
            }
            finally
            {
                await HostProcess.StopAsync(host);
            }

            if (name is "as built" or "workstation GC")
            {
                await FloorAsync(name, database, plugins, environment);
            }
        }
    }

    /// <summary>
    /// The floor under the platform's number: DevPlatform.Bench.Floor (Kestrel alone, then Kestrel with EF Core on Npgsql
    /// reading a page of the same database's users), idle as the platform is measured, under the same setting.
    /// </summary>
    private static async Task FloorAsync(string name, string database, string plugins, Dictionary<string, string> environment)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory); // bench/DevPlatform.Bench/bin/{configuration}/{framework}/
        var floor = Path.Combine(output.Parent!.Parent!.Parent!.Parent!.FullName, "DevPlatform.Bench.Floor", "bin", output.Parent.Name, output.Name,
            "DevPlatform.Bench.Floor.dll");
        foreach (var mode in new[] { "kestrel", "ef" })
        {
            var settings = new Dictionary<string, string>(environment) { ["FLOOR"] = mode, ["Logging__LogLevel__Default"] = "Warning" };
            var (host, url) = await HostProcess.StartAsync(database, plugins, settings, floor);
            try
            {
                using var client = new HttpClient { BaseAddress = url };
                if (mode == "ef")
                {
                    (await client.GetAsync(new Uri("/users", UriKind.Relative))).EnsureSuccessStatusCode();
                }

                await SettleAsync();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"memory, {name}, floor ({(mode == "ef" ? "Kestrel + EF Core on Npgsql, one query" : "Kestrel alone")}): idle RSS {ResidentMib(host.Id):0.0} MiB"));
            }
            finally
            {
                await HostProcess.StopAsync(host);
            }
        }
    }

    /// <summary>
    /// Issue #24's size: 9,000 more users through the hub API (10,000), 2,000 stopped environments written in SQL as the
    /// api benchmark seeds them, then the lists people and scripts load most at 64 connections, 3 s each.
    /// </summary>
    private static async Task LoadAsync(HttpClient client, string database, Uri url)
    {
        for (var batch = 10; batch < 100; batch++)
        {
            var names = Enumerable.Range((batch * 100) + 1, 100).Select(i => $"user{i:0000}");
            using var body = new StringContent(JsonSerializer.Serialize(new { usernames = names }), Encoding.UTF8, "application/json");
            (await client.PostAsync(new Uri("/hub/api/users", UriKind.Relative), body)).EnsureSuccessStatusCode();
        }

        await using (var connection = new Npgsql.NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var seed = new Npgsql.NpgsqlCommand("""
                INSERT INTO environments (id, user_id, name, group_name, profile_name, pool_name, request, spec, state, backend, cpu_request, memory_request,
                                          accelerators, hourly_rate, start_timeout_seconds, created_at, updated_at)
                  SELECT gen_random_uuid(), u.id, 'env1', 'everyone', 'jupyter', 'cpu', '{}', jsonb_build_object('image', 'python:3.12-slim', 'baseUrl', '/user/' || u.name || '/env1/'),
                         'Stopped', 'local', 0.5, 536870912, 0, 0.02, 300, now(), now()
                  FROM users u ORDER BY u.name LIMIT 2000;
                """, connection);
            await seed.ExecuteNonQueryAsync();
            await using var vacuum = new Npgsql.NpgsqlCommand("VACUUM ANALYZE", connection);
            await vacuum.ExecuteNonQueryAsync();
        }

        var token = $"Authorization: token {PlatformFactory.AdminToken}";
        foreach (var path in new[] { "/api/environments?limit=50", "/api/environments?limit=50&offset=1000", "/api/users?limit=50&offset=5000", "/api/users?q=user12&limit=50", "/hub/api/users?limit=200", "/api/groups?limit=50", "/api/audit?limit=50" })
        {
            if (Wrk.Run(new Uri(url, path).ToString(), 64, 3, token).Errors > 0)
            {
                throw new InvalidOperationException($"GET {path} answered errors under load");
            }
        }

        await SettleAsync();
    }

    /// <summary>What a process that has done nothing for a while holds (start-up work and background services' first passes done).</summary>
    private static Task SettleAsync() => Task.Delay(TimeSpan.FromSeconds(10));

    /// <summary>Resident memory by what is mapped (from /proc/PID/smaps): anonymous memory, then each kind of file.</summary>
    private static string Breakdown(int pid)
    {
        var sizes = new Dictionary<string, double>(StringComparer.Ordinal);
        var kind = "anonymous";
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 5 && fields[0].Contains('-', StringComparison.Ordinal) && !fields[0].EndsWith(':'))
            {
                var path = fields.Length >= 6 ? fields[5] : "";
                kind = path switch
                {
                    "" or "[heap]" or "[stack]" => "anonymous (GC heap, JIT code, native allocations, thread stacks)",
                    _ when path.StartsWith("[anon", StringComparison.Ordinal) => "anonymous (GC heap, JIT code, native allocations, thread stacks)",
                    _ when path.Contains("libicu", StringComparison.Ordinal) => "ICU",
                    _ when path.Contains("/shared/Microsoft.NETCore.App/", StringComparison.Ordinal) && path.EndsWith(".so", StringComparison.Ordinal) => "the runtime's native libraries",
                    _ when path.EndsWith(".dll", StringComparison.Ordinal) && path.Contains("/shared/", StringComparison.Ordinal) => "framework assemblies",
                    _ when path.EndsWith(".dll", StringComparison.Ordinal) => "the platform's and packages' assemblies",
                    _ when path.Contains(".so", StringComparison.Ordinal) => "other native libraries",
                    _ when path.StartsWith("/memfd:doublemapper", StringComparison.Ordinal) => "JIT code and runtime data, mapped twice (W^X)",
                    _ => "other files",
                };
            }
            else if (fields.Length >= 2 && fields[0] == "Rss:")
            {
                sizes[kind] = sizes.GetValueOrDefault(kind) + (double.Parse(fields[1], CultureInfo.InvariantCulture) / 1024);
            }
        }

        return string.Join("; ", sizes.OrderByDescending(p => p.Value).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:0.0} MiB")));
    }

    private static double PeakMib(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).Single();

    private static double ResidentMib(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).Single();
}
