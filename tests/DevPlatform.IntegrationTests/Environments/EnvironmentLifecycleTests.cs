using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using DevPlatform.Abstractions;
using DevPlatform.IntegrationTests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DevPlatform.IntegrationTests.Environments;

public sealed class EnvironmentLifecycleTests : LiveHostTest
{
    private readonly string wheels = TestFolders.Create("devplatform-wheels-");
    private readonly string gate = Path.Combine(TestFolders.Create("devplatform-gate-"), "open");

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Compute:Local:Environment:PIP_NO_INDEX"] = "1",
        ["Compute:Local:Environment:PIP_FIND_LINKS"] = wheels,
    };

    protected override async Task SeedAsync()
    {
        BuildProbeWheel(wheels);
        await EnvironmentCatalog.SeedAsync(Admin, null,
            EnvironmentCatalog.WebProfile("slow", startTimeoutSeconds: 5, command: ["python3", "-c", "import time; time.sleep(600)", "marker-slow-start-" + EnvironmentCatalog.RunMarker]),
            EnvironmentCatalog.WebProfile("missing", command: ["devplatform-no-such-program"]),
            EnvironmentCatalog.WebProfile("hog", command: ["python3", "-c", "import time; x = bytearray(700 * 1024 * 1024); time.sleep(600)", "marker-memory-hog-" + EnvironmentCatalog.RunMarker]),
            EnvironmentCatalog.WebProfile("gated", command: ["sh", "-c", $"while [ ! -e {gate} ]; do sleep 0.2; done; exec python3 {EnvironmentCatalog.EchoWorkload}"]),
            EnvironmentCatalog.WebProfile("placeholders", command: ["python3", EnvironmentCatalog.EchoWorkload, "{home}", "{base_url}", "marker-placeholders-" + EnvironmentCatalog.RunMarker]),
            new
            {
                name = "probe", pool = "cpu", kind = "custom", command = new[] { "python3", EnvironmentCatalog.EchoWorkload },
                images = new[] { new { name = "python", reference = "python:3.12", @default = true } },
                bundles = new[]
                {
                    new { name = "probe", manager = "pip", packages = new[] { "devplatform-probe==1.0" } },
                    new { name = "absent", manager = "pip", packages = new[] { "devplatform-absent==9.9" } }, // not among the test's wheels
                },
                sizes = new[] { new { name = "small", cpuRequest = "100m", cpuLimit = "1", memoryRequest = "128Mi", memoryLimit = "512Mi" } },
            });
    }

    [Fact]
    public async Task Launch_MinimalWorkload_RunningReachableThroughProxyThenStopped()
    {
        var launched = await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "web1", profile = "web" }), HttpStatusCode.Accepted);
        Assert.Contains(launched.GetProperty("state").GetString(), new[] { "pending", "starting" });
        await EnvironmentCatalog.WaitForStateAsync(Alice.Client, "alice", "web1", "running");

        var (response, _) = await Alice.FollowAsync("/user/alice/web1/hello?x=1");
        var echo = await ApiAssert.OkAsync(response);
        Assert.Equal("/user/alice/web1/hello?x=1", echo.GetProperty("path").GetString());
        var headers = echo.GetProperty("headers");
        Assert.Equal(Host.BaseAddress.Authority, headers.GetProperty("Host").GetString());
        Assert.Equal("http", headers.GetProperty("X-Forwarded-Proto").GetString());
        Assert.False(headers.TryGetProperty("Cookie", out var cookie) && cookie.GetString()!.Contains("devplatform-session", StringComparison.Ordinal),
            "the platform session cookie must never reach a workload");

        var posted = await ApiAssert.OkAsync(await Alice.Client.PostAsync(new Uri("/user/alice/web1/upload", UriKind.Relative), new ByteArrayContent(new byte[100_000])));
        Assert.Equal(100_000, posted.GetProperty("bodyLength").GetInt32());

        var logs = await Alice.Client.GetStringAsync(new Uri("/api/users/alice/environments/web1/logs", UriKind.Relative));
        Assert.Contains("GET /user/alice/web1/hello?x=1", logs, StringComparison.Ordinal); // the workload's own output

        var events = await Alice.Client.GetFromJsonAsync<JsonElement>("/api/users/alice/environments/web1/events");
        Assert.Equal(["pending", "starting", "running"], events.EnumerateArray().Where(e => e.GetProperty("transition").GetBoolean()).Select(e => e.GetProperty("state").GetString()));

        var stopped = await ApiAssert.OkAsync(await Alice.Client.PostAsync(new Uri("/api/users/alice/environments/web1/stop", UriKind.Relative), null), HttpStatusCode.Accepted);
        Assert.Equal("stopped", stopped.GetProperty("state").GetString());
        var (after, _) = await Alice.FollowAsync("/user/alice/web1/hello");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, after.StatusCode);

        await ApiAssert.OkAsync(await Alice.Client.PostAsync(new Uri("/api/users/alice/environments/web1/start", UriKind.Relative), null), HttpStatusCode.Accepted);
        await EnvironmentCatalog.WaitForStateAsync(Alice.Client, "alice", "web1", "running");
        Assert.Equal(HttpStatusCode.OK, (await Alice.FollowAsync("/user/alice/web1/again")).Response.StatusCode);
    }

    [Fact]
    public async Task WebSocket_ThroughProxy_EchoesBothWays()
    {
        await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "ws", profile = "web" }), HttpStatusCode.Accepted);
        await EnvironmentCatalog.WaitForStateAsync(Alice.Client, "alice", "ws", "running");

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", Alice.Cookies.GetCookieHeader(Host.BaseAddress));
        await socket.ConnectAsync(new Uri($"ws://{Host.BaseAddress.Authority}/user/alice/ws/ws"), CancellationToken.None);
        foreach (var message in new[] { "hello", new string('x', 5000) })
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None);
            var buffer = new byte[16 * 1024];
            var received = new StringBuilder();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                received.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
            }
            while (!result.EndOfMessage);
            Assert.Equal(message, received.ToString());
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    [Fact]
    public async Task Events_AsServerSentEvents_StreamProgressUntilRunning()
    {
        await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "sse", profile = "web" }), HttpStatusCode.Accepted);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/alice/environments/sse/events");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await Alice.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var states = new List<string>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!states.Contains("running") && await reader.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                var data = JsonDocument.Parse(line[6..]).RootElement;
                if (data.GetProperty("transition").GetBoolean())
                {
                    states.Add(data.GetProperty("state").GetString()!);
                }
            }
        }

        Assert.Equal(["pending", "starting", "running"], states);
    }

    [Fact]
    public async Task Bundles_InstalledBeforeStart_OutputInProgress()
    {
        await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "bundled", profile = "probe", bundles = new[] { "probe" } }), HttpStatusCode.Accepted);
        await EnvironmentCatalog.WaitForStateAsync(Alice.Client, "alice", "bundled", "running", 120);
        var events = await Alice.Client.GetFromJsonAsync<JsonElement>("/api/users/alice/environments/bundled/events");
        var messages = events.EnumerateArray().Select(e => e.GetProperty("message").GetString()!).ToList();
        Assert.Contains(messages, m => m.StartsWith("Installing bundle 'probe' (pip): devplatform-probe==1.0", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("Successfully installed devplatform-probe-1.0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FailedBundle_ReasonIsItsLastErrorLine_FullOutputInTheLogs()
    {
        await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "broken", profile = "probe", bundles = new[] { "absent" } }), HttpStatusCode.Accepted);
        var failed = await EnvironmentCatalog.WaitForStateAsync(Alice.Client, "alice", "broken", "failed", 120);
        var reason = failed.GetProperty("failureReason").GetString()!;
        Assert.StartsWith("Installing bundle 'absent' failed (pip exited with 1): ERROR: ", reason, StringComparison.Ordinal);
        Assert.EndsWith("The full output is in the environment's logs.", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", reason, StringComparison.Ordinal);
        Assert.DoesNotContain(" | ", reason, StringComparison.Ordinal);

        var logs = await Alice.Client.GetStringAsync(new Uri("/api/users/alice/environments/broken/logs", UriKind.Relative));
        Assert.Contains("install", logs, StringComparison.Ordinal);
        Assert.Contains("devplatform-absent==9.9", logs, StringComparison.Ordinal);
        Assert.Contains("ERROR: ", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartTimeout_FailsWithReasonAndLeavesNoProcess()
    {
        await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "slow", profile = "slow" }), HttpStatusCode.Accepted);
        await Eventually.UntilAsync(() => Task.FromResult(EnvironmentCatalog.ProcessesWith("marker-slow-start-" + EnvironmentCatalog.RunMarker)), n => n == 1, TimeSpan.FromSeconds(30), "the slow workload to start");
        var failed = await EnvironmentCatalog.WaitForStateAsync(Alice.Client, "alice", "slow", "failed", 30);
        Assert.Equal("Did not become ready within the profile's start timeout of 5 s", failed.GetProperty("failureReason").GetString());
        Assert.Equal(0, EnvironmentCatalog.ProcessesWith("marker-slow-start-" + EnvironmentCatalog.RunMarker));
    }

    [Fact]
    public async Task AnotherProcessOnTheChosenPort_DoesNotMakeTheStartReady_TheStartFailsNamingIt()
    {
        await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "squatted", profile = "gated" }), HttpStatusCode.Accepted);
        var started = await Eventually.UntilAsync(
            async () => (await Alice.Client.GetFromJsonAsync<JsonElement>("/api/users/alice/environments/squatted/events")).EnumerateArray()
                .Select(e => e.GetProperty("message").GetString()!).FirstOrDefault(m => m.StartsWith("Started sh on 127.0.0.1:", StringComparison.Ordinal)),
            m => m is not null, TimeSpan.FromSeconds(30), "the gated workload to start");
        var port = int.Parse(started!["Started sh on 127.0.0.1:".Length..started!.IndexOf(';', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);

        // Another process takes the port before the workload binds it (as one picking a free port may) and answers 200.
        using var squatter = new TcpListener(IPAddress.Loopback, port);
        squatter.Start();
        using var stop = new CancellationTokenSource();
        var answered = 0;
        var serving = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = await squatter.AcceptTcpClientAsync(stop.Token);
                using var request = new StreamReader(client.GetStream(), leaveOpen: true);
                while (!string.IsNullOrEmpty(await request.ReadLineAsync(stop.Token)))
                {
                    // the whole request is read first: closing on unread bytes would reset the connection instead of answering
                }

                await client.GetStream().WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), stop.Token);
                Interlocked.Increment(ref answered);
            }
        });
        await Eventually.UntilAsync(() => Task.FromResult(Volatile.Read(ref answered)), n => n > 0, TimeSpan.FromSeconds(30), "the readiness probe to reach the other process");

        File.WriteAllText(gate, string.Empty); // the workload now tries to bind its port, finds it taken and exits
        var ended = await Eventually.UntilAsync(
            async () => await Alice.Client.GetFromJsonAsync<JsonElement>("/api/users/alice/environments/squatted"),
            e => e.GetProperty("state").GetString() is "running" or "failed", TimeSpan.FromSeconds(60), "the start to end");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => serving);

        Assert.Equal("failed", ended.GetProperty("state").GetString());
        Assert.Equal(
            $"The workload stopped before it was ready: the process has exited; port {port}, chosen for it, is held by another process (pid {Environment.ProcessId}, {File.ReadAllText("/proc/self/comm").TrimEnd('\n')}), which took it before the workload could bind it.",
            ended.GetProperty("failureReason").GetString());
    }

    [Fact]
    public async Task MissingProgram_FailsAtOnceWithInstallHint()
    {
        await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "nope", profile = "missing" }), HttpStatusCode.Accepted);
        var failed = await EnvironmentCatalog.WaitForStateAsync(Alice.Client, "alice", "nope", "failed", 10);
        Assert.Equal("'devplatform-no-such-program' is not installed on this host.", failed.GetProperty("failureReason").GetString());
    }

    [Fact]
    public async Task LocalWorkload_RunsInASessionOfItsOwn_WithDefaultSignals_OutputInItsLog_AndLeavesNoZombie()
    {
        // A backend of its own (its own root, so its own scope): these workloads have no environment row, and the host's
        // reconciler stops any workload of its scope that no active environment owns — at whatever moment its pass runs.
        var backend = new DevPlatform.Compute.Local.LocalProcessBackend(
            Microsoft.Extensions.Options.Options.Create(new DevPlatform.Compute.Local.LocalOptions { Root = TestFolders.Create("devplatform-own-scope-") }),
            Host.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostEnvironment>(),
            Host.Services.GetRequiredService<DevPlatform.Storage.SelectedStorage>());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        EnvironmentSpec Spec(string name, params string[] command) => new(
            Guid.NewGuid(), "alice", name, "lab", "web", "cpu", "cpu", "python:3.12", command, new Dictionary<string, string> { ["GREETING"] = "hello there" },
            new EnvironmentResources(0.1m, 1, 64 << 20, 256 << 20, 0), [], $"/user/alice/{name}/", false, new Dictionary<string, string>());

        // One that exits by itself: its output (stdout and stderr) is in its log, and once seen exited it is reaped, not a zombie.
        var exits = Spec("exits", "sh", "-c", "echo \"out $GREETING\"; echo err >&2; exit 3");
        var exited = await backend.StartAsync(exits, new Progress<string>(), timeout.Token);
        var exitedPid = exited.State.GetProperty("Pid").GetInt32();
        await Eventually.UntilAsync(async () => await backend.PollAsync(exits, exited.State, timeout.Token), s => !s.Running, TimeSpan.FromSeconds(30), "the workload to exit");
        Assert.False(Directory.Exists($"/proc/{exitedPid}"), $"pid {exitedPid} exited and was seen so, but is still in /proc (a zombie nobody reaped)");
        Assert.Equal("out hello there\nerr\n", await backend.ReadLogsAsync(exits, exited.State, 1000, timeout.Token));

        // One that runs until stopped: leads a session and process group of its own, reads /dev/null, blocks no signal and
        // ignores none a program uses (the host ignores SIGPIPE), and is gone from /proc once stopped.
        var runs = Spec("runs", "sh", "-c", "read line; exec sleep 600");
        var running = await backend.StartAsync(runs, new Progress<string>(), timeout.Token);
        var pid = running.State.GetProperty("Pid").GetInt32();
        await Eventually.UntilAsync(() => Task.FromResult(File.ReadAllText($"/proc/{pid}/cmdline")), c => c.StartsWith("sleep\0", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "sh to read end-of-file from stdin and exec sleep");
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        Assert.Equal((pid.ToString(CultureInfo.InvariantCulture), pid.ToString(CultureInfo.InvariantCulture)), (fields[2], fields[3])); // process group, session
        var status = File.ReadAllLines($"/proc/{pid}/status");
        Assert.Contains("SigBlk:\t0000000000000000", status);
        var ignored = ulong.Parse(status.Single(l => l.StartsWith("SigIgn:", StringComparison.Ordinal))["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        Assert.Equal(0ul, ignored & ~0x1_8000_0000ul); // none a program uses; 32 and 33 are glibc's own (posix_spawn leaves them ignored, as for every caller)
        Assert.True((await backend.PollAsync(runs, running.State, timeout.Token)).Running);
        await backend.StopAsync(runs, running.State, timeout.Token);
        Assert.False(Directory.Exists($"/proc/{pid}"), $"pid {pid} was stopped but is still in /proc (a zombie nobody reaped)");
    }

    [Fact]
    public async Task MemoryLimit_WorkloadAboveIt_IsKilledAndTheStartFails()
    {
        await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "hog", profile = "hog" }), HttpStatusCode.Accepted);
        var failed = await EnvironmentCatalog.WaitForStateAsync(Alice.Client, "alice", "hog", "failed", 30);
        var events = await Alice.Client.GetFromJsonAsync<JsonElement>("/api/users/alice/environments/hog/events");
        Assert.Contains(events.EnumerateArray(), e => e.GetProperty("message").GetString()!.EndsWith("; memory limited to 512 MiB (cgroup)", StringComparison.Ordinal));
        Assert.StartsWith("The workload stopped before it was ready", failed.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, EnvironmentCatalog.ProcessesWith("marker-memory-hog-" + EnvironmentCatalog.RunMarker));
    }

    [Fact]
    public async Task Command_PlaceholdersFilledAsSeparateArguments()
    {
        await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "ph", profile = "placeholders" }), HttpStatusCode.Accepted);
        await EnvironmentCatalog.WaitForStateAsync(Alice.Client, "alice", "ph", "running");
        var cmdline = Directory.EnumerateDirectories("/proc").Select(d => Path.Combine(d, "cmdline"))
            .Select(f => { try { return File.ReadAllText(f); } catch (IOException) { return string.Empty; } })
            .Single(c => c.Contains("marker-placeholders-" + EnvironmentCatalog.RunMarker, StringComparison.Ordinal)).Split('\0');
        Assert.EndsWith("/homes/alice", cmdline[^4], StringComparison.Ordinal);
        Assert.Equal("/user/alice/ph/", cmdline[^3]);
    }

    [Theory]
    [InlineData("{\"name\":\"../etc\",\"profile\":\"web\"}", "name")]
    [InlineData("{\"name\":\"a;b\",\"profile\":\"web\"}", "name")]
    [InlineData("{\"name\":\"ok\",\"profile\":\"web\",\"bundles\":[\"tools; rm -rf ~\"]}", "bundles[0]")]
    [InlineData("{\"name\":\"ok\",\"profile\":\"web\",\"size\":\"$(id)\"}", "size")]
    [InlineData("{\"name\":\"ok\",\"profile\":\"../../etc/passwd\"}", "profile")]
    public async Task Launch_HostileInput_Refused400AndNothingStarted(string body, string field)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        await ApiAssert.FieldErrorAsync(await Alice.Client.PostAsync(new Uri("/api/users/alice/environments", UriKind.Relative), content), field);
        var mine = await Alice.Client.GetFromJsonAsync<JsonElement>("/api/users/alice/environments?state=starting");
        Assert.Equal(0, mine.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task OtherUser_RefusedOnApiAndProxy_AnonymousSentToLogin()
    {
        await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "private", profile = "web" }), HttpStatusCode.Accepted);
        await EnvironmentCatalog.WaitForStateAsync(Alice.Client, "alice", "private", "running");
        using var bob = new Browser(Host.BaseAddress);
        await bob.LoginAsync("bob");
        await ApiAssert.ProblemAsync(await bob.Client.GetAsync(new Uri("/api/users/alice/environments", UriKind.Relative)), HttpStatusCode.Forbidden);
        await ApiAssert.ProblemAsync(await bob.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "x", profile = "web" }), HttpStatusCode.Forbidden);
        await ApiAssert.ProblemAsync(await bob.Client.PostAsync(new Uri("/api/users/alice/environments/private/stop", UriKind.Relative), null), HttpStatusCode.Forbidden);
        await ApiAssert.ProblemAsync(await bob.Client.GetAsync(new Uri("/user/alice/private/hello", UriKind.Relative)), HttpStatusCode.Forbidden);
        await ApiAssert.ProblemAsync(await bob.Client.GetAsync(new Uri("/api/environments", UriKind.Relative)), HttpStatusCode.Forbidden);

        using var anonymous = new Browser(Host.BaseAddress);
        var redirect = await anonymous.Client.GetAsync(new Uri("/user/alice/private/hello", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("/hub/login?next=%2Fuser%2Falice%2Fprivate%2Fhello", redirect.Headers.Location!.OriginalString);

        var all = await Admin.GetFromJsonAsync<JsonElement>("/api/environments?user=alice&state=running");
        Assert.Contains(all.GetProperty("items").EnumerateArray(), e => e.GetProperty("name").GetString() == "private");
        var usage = await ApiAssert.OkAsync(await Admin.GetAsync(new Uri("/api/users/alice/environments/private/usage", UriKind.Relative)));
        Assert.Equal(0.5m, usage.GetProperty("requested").GetProperty("cpu").GetDecimal());
        Assert.InRange(usage.GetProperty("used").GetProperty("memory").GetInt64(), 1_000_000, 512L * 1024 * 1024); // a real, live measurement
    }

    [Fact]
    public async Task AdminList_IsInOwnerThenNameOrder_FiltersByOwner_AndFollowsARenamedOwner()
    {
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "zoe" }), HttpStatusCode.Created);
        await ApiAssert.OkAsync(await Admin.PutAsJsonAsync("/api/groups/lab/members/zoe", new { role = "member" }), HttpStatusCode.Created);
        using var zoe = new Browser(Host.BaseAddress);
        await zoe.LoginAsync("zoe");
        await ApiAssert.OkAsync(await zoe.Client.PostAsJsonAsync("/api/users/zoe/environments", new { name = "a-first", profile = "web" }), HttpStatusCode.Accepted);
        await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "z-last", profile = "web" }), HttpStatusCode.Accepted);

        var all = await Admin.GetFromJsonAsync<JsonElement>("/api/environments?limit=500");
        var order = all.GetProperty("items").EnumerateArray().Select(e => $"{e.GetProperty("user").GetString()}/{e.GetProperty("name").GetString()}").ToList();
        Assert.True(order.IndexOf("alice/z-last") >= 0 && order.IndexOf("alice/z-last") < order.IndexOf("zoe/a-first"), string.Join(", ", order)); // by owner, then name
        var zoes = await Admin.GetFromJsonAsync<JsonElement>("/api/environments?user=zoe");
        Assert.Equal(["zoe/a-first"], zoes.GetProperty("items").EnumerateArray().Select(e => $"{e.GetProperty("user").GetString()}/{e.GetProperty("name").GetString()}"));

        // The API refuses renames; one made in the database carries the owner's environments with it.
        await using (var connection = new NpgsqlConnection(Host.ConnectionString))
        {
            await connection.OpenAsync();
            await using var rename = new NpgsqlCommand("UPDATE users SET name = 'zara' WHERE name = 'zoe'", connection);
            Assert.Equal(1, await rename.ExecuteNonQueryAsync());
        }

        var zaras = await Admin.GetFromJsonAsync<JsonElement>("/api/environments?user=zara");
        Assert.Equal(["zara/a-first"], zaras.GetProperty("items").EnumerateArray().Select(e => $"{e.GetProperty("user").GetString()}/{e.GetProperty("name").GetString()}"));
        Assert.Equal(0, (await Admin.GetFromJsonAsync<JsonElement>("/api/environments?user=zoe")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task ProxiedTraffic_MarksLastActivity()
    {
        await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "busy", profile = "web" }), HttpStatusCode.Accepted);
        var running = await EnvironmentCatalog.WaitForStateAsync(Alice.Client, "alice", "busy", "running");
        Assert.Equal(JsonValueKind.Null, running.GetProperty("lastActivityAt").ValueKind); // the echo workload reports none itself
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await Alice.FollowAsync("/user/alice/busy/work");
        await Eventually.UntilAsync(
            async () => (await Alice.Client.GetFromJsonAsync<JsonElement>("/api/users/alice/environments/busy")).GetProperty("lastActivityAt"),
            at => at.ValueKind == JsonValueKind.String && at.GetDateTimeOffset() > before, TimeSpan.FromSeconds(15), "proxied activity to be recorded");
    }

    /// <summary>A real, minimal pure-Python wheel, so a pip bundle installs with no index.</summary>
    private static void BuildProbeWheel(string folder)
    {
        using var zip = ZipFile.Open(Path.Combine(folder, "devplatform_probe-1.0-py3-none-any.whl"), ZipArchiveMode.Create);
        void Add(string name, string text)
        {
            using var writer = new StreamWriter(zip.CreateEntry(name).Open());
            writer.Write(text);
        }

        Add("devplatform_probe/__init__.py", "VALUE = 42\n");
        Add("devplatform_probe-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: devplatform-probe\nVersion: 1.0\n");
        Add("devplatform_probe-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\nGenerator: devplatform-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
        Add("devplatform_probe-1.0.dist-info/RECORD", "devplatform_probe/__init__.py,,\ndevplatform_probe-1.0.dist-info/METADATA,,\ndevplatform_probe-1.0.dist-info/WHEEL,,\ndevplatform_probe-1.0.dist-info/RECORD,,\n");
    }
}
