using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.Bench;
using DevPlatform.IntegrationTests.Fixtures;

// dotnet run -c Release --project bench/DevPlatform.Bench -- launch|proxy|api|passes|scan|hubapi|hubspawn|replicas|memory
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

if (mode == "memory")
{
    await MemoryBench.RunAsync(args.ElementAtOrDefault(1)); // host processes of its own; optionally of a published build
    return 0;
}

await using var host = await PlatformFactory.CreateLiveAsync(new Dictionary<string, string?>
{
    ["Logging:LogLevel:Default"] = "Warning",
    ["Environments:ReconcileSeconds"] = "60",
    ["Compute:ConcurrentStartLimit"] = "100",
    ["environment"] = "Production", // as deployed: no developer exception page, no DI scope validation per resolution
    ["Auth:DevAdmins:0"] = "root", // the admin console pages in the api benchmark
    ["Jobs:Enabled"] = "false", // no job runs behind a measurement; the passes benchmark runs them itself
    ["Auth:DefaultGroup"] = "lab", // users created through the JupyterHub API join it, as a migration's would join 'everyone'
    ["Hub:DefaultProfile"] = "jupyter", // a JupyterHub-style start runs stock jupyterhub-singleuser
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
    await ApiBench.RunAsync(host, alice, admin, args.ElementAtOrDefault(1));
}

if (mode is "scan" or "all")
{
    await ScanBench.RunAsync(host);
}

if (mode is "hubapi" or "all")
{
    await HubApiBench.RunAsync(host);
}

if (mode is "hubspawn" or "all")
{
    await HubSpawnBench.RunAsync(host);
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

    // 200 at once: each is accepted (then measured to running) or refused with 429 by the start limit; anything else fails.
    // The CPU the machine spent meanwhile (host, PostgreSQL, workloads, kernel) per accepted launch says how far the two cores
    // allow the p50 to fall: the n-th of 100 launches served one after another is running after n launches' work.
    Console.WriteLine("200 concurrent launches: sending");
    var (busy, hostCpu, clock) = (MachineCpu.Busy(), Environment.CpuUsage.TotalTime, System.Diagnostics.Stopwatch.StartNew());
    var concurrent = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => TryLaunchAsync($"con{i}")));
    var (machineMs, hostMs, wallMs) = ((MachineCpu.Busy() - busy).TotalMilliseconds, (Environment.CpuUsage.TotalTime - hostCpu).TotalMilliseconds, clock.Elapsed.TotalMilliseconds);
    var accepted = concurrent.OfType<double>().Select(ms => ms - workloadStart).ToList();
    Console.WriteLine($"launch overhead, 200 concurrent: {accepted.Count} accepted, {concurrent.Count(ms => ms is null)} refused with 429; accepted: {Percentiles.Describe(accepted)}");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  machine CPU busy {machineMs:0} ms in {wallMs:0} ms ({machineMs / wallMs:0.00} of {Environment.ProcessorCount} cores): {machineMs / accepted.Count:0.0} ms per accepted launch, of which this process (host and benchmark client) {hostMs / accepted.Count:0.0} ms"));
    await DeleteAllAsync();
}

async Task<double?> TryLaunchAsync(string name)
{
    var response = await alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name, profile = "fast" });
    if (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
    {
        return null;
    }

    response.EnsureSuccessStatusCode();
    return await RunningAfterAsync(name);
}

// Request → running as the platform recorded it: the 'pending' event is written while the request is
// handled, the 'running' event when the workload first answered; both from the same clock.
async Task<double> LaunchOneAsync(string name)
{
    (await alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name, profile = "fast" })).EnsureSuccessStatusCode();
    return await RunningAfterAsync(name);
}

async Task<double> RunningAfterAsync(string name)
{
    await FollowUntilRunningAsync(name);
    var events = await alice.Client.GetFromJsonAsync<JsonElement>($"/api/users/alice/environments/{name}/events");
    var transitions = events.EnumerateArray().Where(e => e.GetProperty("transition").GetBoolean()).ToList();
    var pending = transitions.First(e => e.GetProperty("state").GetString() == "pending").GetProperty("at").GetDateTimeOffset();
    var running = transitions.First(e => e.GetProperty("state").GetString() == "running").GetProperty("at").GetDateTimeOffset();
    return (running - pending).TotalMilliseconds;
}

// Follows the start as the console's launcher does (server-sent events), not by polling: 100 clients asking ten times a
// second were 1,000 requests/s of load on the host whose launches are measured (until 2026-12-07 the benchmark polled).
async Task FollowUntilRunningAsync(string name)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/users/alice/environments/{name}/events");
    request.Headers.Accept.ParseAdd("text/event-stream");
    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
    using var response = await alice.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
    response.EnsureSuccessStatusCode();
    await foreach (var item in System.Net.ServerSentEvents.SseParser.Create(await response.Content.ReadAsStreamAsync(timeout.Token)).EnumerateAsync(timeout.Token))
    {
        var state = item.EventType == "state" ? JsonDocument.Parse(item.Data).RootElement.GetProperty("state").GetString() : null;
        if (state is "running")
        {
            return;
        }

        if (state is "failed" or "stopped")
        {
            throw new InvalidOperationException($"alice/{name} ended {state}: {item.Data}");
        }
    }

    throw new InvalidOperationException($"the event stream of alice/{name} ended before it was running");
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
    using var chp = ConfigurableHttpProxy.Start(TestPostgres.FreePort(), TestPostgres.FreePort(), new Uri($"http://127.0.0.1:{port}"));
    try
    {
        Compare(direct, port, chp.Port);
    }
    finally
    {
        direct.Kill();
        await DeleteAllAsync();
    }
}

// wrk counts a 3xx as a success: make sure the measured URL reaches the workload (200 with its body), not a redirect —
// until 2026-11-30 this URL was answered with a redirect, and the proxy figures of 2026-11-22 measured that.
static void EnsureForwarded(Uri url, string? cookie)
{
    using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
    using var request = new HttpRequestMessage(HttpMethod.Get, url);
    if (cookie is not null)
    {
        request.Headers.TryAddWithoutValidation("Cookie", cookie["Cookie: ".Length..]);
    }

    using var response = client.Send(request);
    if (response.StatusCode != System.Net.HttpStatusCode.OK)
    {
        throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}, not the workload's 200: the benchmark would measure that answer, not forwarding.");
    }
}

// The platform's proxy (YARP's forwarder behind our session check and route lookup), the workload directly, and
// configurable-http-proxy in front of the same workload, alternating in one run.
void Compare(System.Diagnostics.Process direct, int port, int chpPort)
{
    var cookie = $"Cookie: {alice.Cookies.GetCookieHeader(host.BaseAddress)}";
    EnsureForwarded(new Uri(host.BaseAddress, "user/alice/proxied/"), cookie);
    EnsureForwarded(new Uri($"http://127.0.0.1:{chpPort}/user/alice/proxied/"), null);
    Wrk.Run($"{host.BaseAddress}user/alice/proxied/", 32, 10, cookie); // warm-up: JIT (tier-1 compiles of the whole path take seconds of CPU) and pooled connections
    Wrk.Run($"http://127.0.0.1:{chpPort}/user/alice/proxied/", 32, 3);
    // `-- proxy 32` measures one connection count only (what a change to the request path is tried with).
    int[] counts = int.TryParse(args.ElementAtOrDefault(1), CultureInfo.InvariantCulture, out var only) ? [only] : [1, 32];
    foreach (var connections in counts)
    {
        for (var round = 0; round < 3; round++)
        {
            var (cpu, allocated) = (Environment.CpuUsage.TotalTime, GC.GetTotalAllocatedBytes()); // the host runs in this process: its CPU and allocations per proxied request
            var viaProxy = Wrk.Run($"{host.BaseAddress}user/alice/proxied/", connections, 8, cookie);
            var cpuPerRequest = (Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds / (viaProxy.RequestsPerSecond * 8);
            var bytesPerRequest = (GC.GetTotalAllocatedBytes() - allocated) / (viaProxy.RequestsPerSecond * 8);
            var workloadCpu = direct.TotalProcessorTime;
            var straight = Wrk.Run($"http://127.0.0.1:{port}/user/alice/proxied/", connections, 8);
            var workloadPerRequest = (direct.TotalProcessorTime - workloadCpu).TotalMicroseconds / (straight.RequestsPerSecond * 8);
            var viaChp = Wrk.Run($"http://127.0.0.1:{chpPort}/user/alice/proxied/", connections, 8);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"proxy c={connections} round {round + 1}: proxied {viaProxy.RequestsPerSecond:0} req/s p50 {viaProxy.P50Ms:0.000} ms p99 {viaProxy.P99Ms:0.000} ms (non-2xx {viaProxy.Errors}), host CPU {cpuPerRequest:0} µs and {bytesPerRequest / 1024:0.0} KiB allocated per request | " +
                $"direct {straight.RequestsPerSecond:0} req/s p50 {straight.P50Ms:0.000} ms p99 {straight.P99Ms:0.000} ms | " +
                $"throughput {viaProxy.RequestsPerSecond / straight.RequestsPerSecond:P0} of direct, added p50 {viaProxy.P50Ms - straight.P50Ms:0.000} ms | " +
                $"configurable-http-proxy {viaChp.RequestsPerSecond:0} req/s p50 {viaChp.P50Ms:0.000} ms p99 {viaChp.P99Ms:0.000} ms (non-2xx {viaChp.Errors}), " +
                $"{viaChp.RequestsPerSecond / straight.RequestsPerSecond:P0} of direct, added p50 {viaChp.P50Ms - straight.P50Ms:0.000} ms"));
            // What 70 % of direct would leave the proxy: the cores' time per request at that rate, less what wrk and the
            // workload themselves take per request (measured in this round).
            var target = 0.7 * straight.RequestsPerSecond;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  CPU per request: wrk {viaProxy.ClientMicrosPerRequest:0.0} µs via the proxy, {straight.ClientMicrosPerRequest:0.0} µs direct; workload {workloadPerRequest:0.0} µs; " +
                $"at 70 % of direct ({target:0} req/s) {Environment.ProcessorCount} cores leave the proxy {(Environment.ProcessorCount * 1e6 / target) - viaProxy.ClientMicrosPerRequest - workloadPerRequest:0.0} µs per request; it took {cpuPerRequest:0.0} µs"));
        }
    }
}
