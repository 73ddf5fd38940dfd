using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.Bench;
using DevPlatform.IntegrationTests.Fixtures;
using Npgsql;

// dotnet run -c Release --project bench/DevPlatform.Bench -- launch|proxy|api|passes|scan|hubapi|replicas
var mode = args.FirstOrDefault() ?? "all";
// WebApplicationFactory finds the host's content root through the test assembly's attributes; from here, say it.
var repository = new DirectoryInfo(AppContext.BaseDirectory);
while (!File.Exists(Path.Combine(repository.FullName, "DevPlatform.sln")))
{
    repository = repository.Parent ?? throw new InvalidOperationException("run the benchmarks from inside the repository");
}

Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_DEVPLATFORM_PLATFORM", Path.Combine(repository.FullName, "src", "Platform"));
var binary = Workload.Build();
if (mode == "replicas")
{
    await ReplicasBench.RunAsync(binary); // host processes of its own
    return 0;
}

await using var host = await PlatformFactory.CreateLiveAsync(new Dictionary<string, string?>
{
    ["Logging:LogLevel:Default"] = "Warning",
    ["Environments:ReconcileSeconds"] = "60",
    ["Compute:ConcurrentStartLimit"] = "100",
    ["Jobs:Enabled"] = "false", // no job runs behind a measurement; the passes benchmark runs them itself
});
var admin = host.CreateAdminClient();
await EnvironmentCatalog.SeedAsync(admin, new { }, EnvironmentCatalog.WebProfile("fast", command: [binary]));
using var alice = new Browser(host.BaseAddress);
await alice.LoginAsync("alice");

if (mode is "launch" or "all")
{
    await LaunchAsync();
}

if (mode is "proxy" or "all")
{
    await ProxyAsync();
}

if (mode is "api" or "all")
{
    await ApiAsync();
}

if (mode is "scan" or "all")
{
    await ScanBench.RunAsync(host);
}

if (mode is "hubapi" or "all")
{
    await HubApiBench.RunAsync(host);
}

if (mode is "passes" or "all")
{
    await Passes.RunAsync(host, alice, 5000);
}

return 0;

async Task LaunchAsync()
{
    var direct = Enumerable.Range(0, 20).Select(_ => Workload.DirectStartMilliseconds(binary, TestPostgres.FreePort())).ToList();
    var workloadStart = Percentiles.Of(direct, 50);
    Console.WriteLine($"workload start-up alone (spawn → accepts): {Percentiles.Describe(direct)}");

    var sequential = new List<double>();
    for (var i = 0; i < 100; i++)
    {
        sequential.Add(await LaunchOneAsync($"seq{i}") - workloadStart);
    }

    Console.WriteLine($"launch overhead, 100 sequential (request → running, minus workload start-up): {Percentiles.Describe(sequential)}");
    var timeline = await alice.Client.GetFromJsonAsync<JsonElement>("/api/users/alice/environments/seq99/events");
    var origin = timeline[0].GetProperty("at").GetDateTimeOffset();
    foreach (var e in timeline.EnumerateArray())
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  +{(e.GetProperty("at").GetDateTimeOffset() - origin).TotalMilliseconds,6:0.0} ms  {e.GetProperty("state").GetString()}: {e.GetProperty("message").GetString()}"));
    }
    await DeleteAllAsync();

    var concurrent = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => LaunchOneAsync($"con{i}")));
    Console.WriteLine($"launch overhead, 50 concurrent: {Percentiles.Describe(concurrent.Select(ms => ms - workloadStart).ToList())}");
    await DeleteAllAsync();
}

// Request → running as the platform recorded it: the 'pending' event is written while the request is
// handled, the 'running' event when the workload first answered; both from the same clock.
async Task<double> LaunchOneAsync(string name)
{
    var response = await alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name, profile = "fast" });
    response.EnsureSuccessStatusCode();
    await EnvironmentCatalog.WaitForStateAsync(alice.Client, "alice", name, "running");
    var events = await alice.Client.GetFromJsonAsync<JsonElement>($"/api/users/alice/environments/{name}/events");
    var transitions = events.EnumerateArray().Where(e => e.GetProperty("transition").GetBoolean()).ToList();
    var pending = transitions.First(e => e.GetProperty("state").GetString() == "pending").GetProperty("at").GetDateTimeOffset();
    var running = transitions.First(e => e.GetProperty("state").GetString() == "running").GetProperty("at").GetDateTimeOffset();
    return (running - pending).TotalMilliseconds;
}

async Task DeleteAllAsync()
{
    var all = await alice.Client.GetFromJsonAsync<JsonElement>("/api/users/alice/environments?limit=500");
    await Task.WhenAll(all.GetProperty("items").EnumerateArray().Select(e =>
        alice.Client.DeleteAsync(new Uri($"/api/users/alice/environments/{e.GetProperty("name").GetString()}", UriKind.Relative))));
}

async Task ProxyAsync()
{
    (await alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "proxied", profile = "fast" })).EnsureSuccessStatusCode();
    await EnvironmentCatalog.WaitForStateAsync(alice.Client, "alice", "proxied", "running");
    var port = TestPostgres.FreePort();
    using var direct = Workload.StartDirect(binary, port);
    try
    {
        await CompareAsync(port);
    }
    finally
    {
        direct.Kill();
        await DeleteAllAsync();
    }
}

async Task CompareAsync(int port)
{
    var cookie = $"Cookie: {alice.Cookies.GetCookieHeader(host.BaseAddress)}";
    foreach (var connections in new[] { 1, 32 })
    {
        for (var round = 0; round < 2; round++)
        {
            var viaProxy = Wrk.Run($"{host.BaseAddress}user/alice/proxied/", connections, 8, cookie);
            var straight = Wrk.Run($"http://127.0.0.1:{port}/user/alice/proxied/", connections, 8);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"proxy c={connections} round {round + 1}: proxied {viaProxy.RequestsPerSecond:0} req/s p50 {viaProxy.P50Ms:0.000} ms p99 {viaProxy.P99Ms:0.000} ms (non-2xx {viaProxy.Errors}) | " +
                $"direct {straight.RequestsPerSecond:0} req/s p50 {straight.P50Ms:0.000} ms p99 {straight.P99Ms:0.000} ms | " +
                $"throughput {viaProxy.RequestsPerSecond / straight.RequestsPerSecond:P0} of direct, added p50 {viaProxy.P50Ms - straight.P50Ms:0.000} ms"));
        }
    }
}

async Task ApiAsync()
{
    (await alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "template", profile = "fast" })).EnsureSuccessStatusCode();
    await EnvironmentCatalog.WaitForStateAsync(alice.Client, "alice", "template", "running");
    (await alice.Client.PostAsync(new Uri("/api/users/alice/environments/template/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
    await using (var connection = new NpgsqlConnection(host.ConnectionString))
    {
        await connection.OpenAsync();
        // 10,000 users in all; 2,000 environments (20 of them alice's), copied from a real one.
        const string seed = """
            INSERT INTO users (name, admin, disabled, created_at, updated_at)
              SELECT 'user' || g, false, false, now(), now() FROM generate_series(1, 9997) g;
            INSERT INTO environments (id, user_id, name, group_name, profile_name, request, spec, state, backend, cpu_request, memory_request,
                                      accelerators, hourly_rate, start_timeout_seconds, created_at, updated_at)
              SELECT gen_random_uuid(), CASE WHEN g <= 19 THEN e.user_id ELSE (SELECT id FROM users WHERE name = 'user' || (g % 9997 + 1)) END,
                     'env' || g, e.group_name, e.profile_name, e.request, e.spec, 'Stopped', e.backend, e.cpu_request, e.memory_request,
                     e.accelerators, e.hourly_rate, e.start_timeout_seconds, now(), now()
              FROM environments e, generate_series(1, 1999) g WHERE e.name = 'template';
            ANALYZE;
            """;
        await using var command = new NpgsqlCommand(seed, connection);
        await command.ExecuteNonQueryAsync();
    }

    var cookie = $"Cookie: {alice.Cookies.GetCookieHeader(host.BaseAddress)}";
    var token = $"Authorization: Bearer {PlatformFactory.AdminToken}";
    for (var round = 0; round < 2; round++)
    {
        var own = Wrk.Run($"{host.BaseAddress}api/users/alice/environments", 64, 10, cookie);
        var all = Wrk.Run($"{host.BaseAddress}api/environments?limit=50", 64, 10, token);
        var users = Wrk.Run($"{host.BaseAddress}api/users?limit=50&offset=5000", 64, 10, token);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"api round {round + 1}, 64 connections: GET own environments (20) {own.RequestsPerSecond:0} req/s p99 {own.P99Ms:0.0} ms (non-2xx {own.Errors}) | " +
            $"GET /api/environments page of 2,000 {all.RequestsPerSecond:0} req/s p99 {all.P99Ms:0.0} ms (non-2xx {all.Errors}) | " +
            $"GET /api/users page of 10,000 {users.RequestsPerSecond:0} req/s p99 {users.P99Ms:0.0} ms (non-2xx {users.Errors})"));
    }
}
