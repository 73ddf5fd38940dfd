using System.Net;
using System.Net.Http.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Environments;

/// <summary>
/// Hub replicas (real processes) on one database acting on the same environments: a transition sent to two replicas at
/// once happens once; starts in flight survive a rolling restart (a third host up, then SIGTERM to the one running them)
/// and a kill -9 of that host, carried on by another host to running or to their timeout, with no workload lost, doubled
/// or orphaned.
/// </summary>
public sealed class ReplicaTransitionTests : IDisposable
{
    private readonly string marker = $"marker-replicas-{Guid.NewGuid():N}";
    private readonly DirectoryInfo gates = Directory.CreateTempSubdirectory("devplatform-gates-");

    public void Dispose()
    {
        EnvironmentCatalog.KillProcessesWith(marker); // whatever happened, leave no workload behind
        gates.Delete(recursive: true);
    }

    [Fact]
    public async Task SameStopStartDelete_SentToBothReplicasAtOnce_HappensOnce()
    {
        var database = await (await TestPostgres.SharedAsync()).CreateDatabaseAsync();
        var (a, b) = await StartTwoAsync(database);
        using (a)
        using (b)
        {
            await ApiAssert.OkAsync(await a.Admin.PostAsJsonAsync("/api/users/alice/environments", new { name = "twice", profile = "marked" }), HttpStatusCode.Accepted);
            await EnvironmentCatalog.WaitForStateAsync(a.Admin, "alice", "twice", "running");

            var stops = await BothAsync(a, b, c => c.PostAsync(new Uri("/api/users/alice/environments/twice/stop", UriKind.Relative), null));
            Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted], stops);
            await EnvironmentCatalog.WaitForStateAsync(b.Admin, "alice", "twice", "stopped");
            Assert.Equal(1, await TransitionsAsync(database, "twice", "Stopped"));
            Assert.Equal(0, EnvironmentCatalog.ProcessesWith(marker));

            var starts = await BothAsync(a, b, c => c.PostAsync(new Uri("/api/users/alice/environments/twice/start", UriKind.Relative), null));
            Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Conflict], starts.Order());
            await EnvironmentCatalog.WaitForStateAsync(a.Admin, "alice", "twice", "running");
            Assert.Equal(2, await TransitionsAsync(database, "twice", "Running")); // the launch and one start
            Assert.Equal(1, EnvironmentCatalog.ProcessesWith(marker));

            var deletes = await BothAsync(a, b, c => c.DeleteAsync(new Uri("/api/users/alice/environments/twice", UriKind.Relative)));
            Assert.All(deletes, s => Assert.Contains(s, new[] { HttpStatusCode.NoContent, HttpStatusCode.NotFound }));
            Assert.Contains(HttpStatusCode.NoContent, deletes);
            Assert.Equal(HttpStatusCode.NotFound, (await a.Admin.GetAsync(new Uri("/api/users/alice/environments/twice", UriKind.Relative))).StatusCode);
            Assert.Equal(0, EnvironmentCatalog.ProcessesWith(marker));
            await HostProcess.StopAsync(a.Process);
            await HostProcess.StopAsync(b.Process);
        }
    }

    [Fact]
    public async Task RollingRestart_WhileTwentyStart_AndAUserWorks_NoStartLostOrDoubled_NoRequestFails()
    {
        var database = await (await TestPostgres.SharedAsync()).CreateDatabaseAsync();
        var (a, b) = await StartTwoAsync(database);
        using (a)
        using (b)
        {
            await ApiAssert.OkAsync(await b.Admin.PostAsJsonAsync("/api/users/bob/environments", new { name = "work", profile = "marked" }), HttpStatusCode.Accepted);
            await EnvironmentCatalog.WaitForStateAsync(b.Admin, "bob", "work", "running");
            var names = Enumerable.Range(1, 20).Select(i => $"gated-{i:00}").ToList();
            foreach (var name in names)
            {
                await ApiAssert.OkAsync(await a.Admin.PostAsJsonAsync("/api/users/alice/environments", new { name, profile = "gated" }), HttpStatusCode.Accepted);
            }

            await Eventually.UntilAsync(() => Sql.ScalarAsync<string>(database, """
                    SELECT coalesce(string_agg(name || ' ' || state || ' ' || coalesce(failure_reason, ''), '; '), '') FROM environments
                    WHERE name LIKE 'gated-%' AND NOT (state = 'Starting' AND backend_state IS NOT NULL)
                    """), notYet => notYet.Length == 0, TimeSpan.FromSeconds(120), "all 20 workloads to be created and recorded by host A (listed: those not yet)");

            using var working = new CancellationTokenSource();
            var user = UserWorksAsync(b.Url, working.Token); // through the replica that stays up
            var (c, urlC) = await HostProcess.StartAsync(database, Plugins, Settings); // the rolling update brings a third host up (surge) …
            using (c)
            using (HostProcess.KillOnExit(c))
            {
                await HostProcess.StopAsync(a.Process); // … then SIGTERMs host A mid-start …
                var gone = await Sql.ScalarAsync<string>(database, """
                    SELECT coalesce(string_agg(e.name || ' ' || e.state || ' (' || coalesce(e.failure_reason, '') || '; last event: '
                        || coalesce((SELECT ev.message FROM environment_events ev WHERE ev.environment_id = e.id ORDER BY ev.id DESC LIMIT 1), '') || ')', '; '), '')
                    FROM environments e WHERE e.name LIKE 'gated-%' AND e.state <> 'Starting'
                    """);
                Assert.True(gone.Length == 0, $"starts that did not stay Starting when host A stopped: {gone}"); // … and none of the starts goes with it
                Assert.Equal(20, await CountAsync(database, "state = 'Starting' AND name LIKE 'gated-%'"));
                File.WriteAllText(Path.Combine(gates.FullName, "gated"), ""); // the workloads become ready
                foreach (var name in names)
                {
                    var environment = await EnvironmentCatalog.WaitForStateAsync(b.Admin, "alice", name, "running", seconds: 120);
                    Assert.True(environment.GetProperty("state").GetString() == "running", $"{name}: {environment}");
                }

                await working.CancelAsync();
                var answers = await user;
                Assert.NotEmpty(answers);
                Assert.All(answers, s => Assert.Equal(HttpStatusCode.OK, s));
                Assert.Equal(21, EnvironmentCatalog.ProcessesWith(marker)); // twenty carried-on starts and the user's, none doubled
                Assert.Equal(20, await CountAsync(database, """
                    name LIKE 'gated-%' AND (SELECT count(*) FROM environment_events ev WHERE ev.environment_id = environments.id AND ev.transition AND ev.state = 'Starting') = 1
                    """)); // each workload was created once, never again from scratch
                using var onC = new HttpClient { BaseAddress = urlC };
                onC.DefaultRequestHeaders.Authorization = new("Bearer", PlatformFactory.AdminToken);
                await ApiAssert.OkAsync(await onC.GetAsync(new Uri("/user/alice/gated-07/through-c", UriKind.Relative))); // the new host routes them
                foreach (var name in names.Append("work"))
                {
                    var owner = name == "work" ? "bob" : "alice";
                    Assert.Equal(HttpStatusCode.NoContent, (await onC.DeleteAsync(new Uri($"/api/users/{owner}/environments/{name}", UriKind.Relative))).StatusCode);
                }

                Assert.Equal(0, EnvironmentCatalog.ProcessesWith(marker));
                await HostProcess.StopAsync(c);
            }

            await HostProcess.StopAsync(b.Process);
        }
    }

    [Fact]
    public async Task KillNineMidStart_AnotherHostFinishesOneStart_AndFailsOneAtItsTimeout()
    {
        var database = await (await TestPostgres.SharedAsync()).CreateDatabaseAsync();
        var (a, b) = await StartTwoAsync(database);
        using (a)
        using (b)
        {
            await ApiAssert.OkAsync(await a.Admin.PostAsJsonAsync("/api/users/alice/environments", new { name = "finishes", profile = "gated" }), HttpStatusCode.Accepted);
            await ApiAssert.OkAsync(await a.Admin.PostAsJsonAsync("/api/users/alice/environments", new { name = "never", profile = "never" }), HttpStatusCode.Accepted);
            await Eventually.UntilAsync(() => CountAsync(database, "state = 'Starting' AND backend_state IS NOT NULL"), n => n == 2,
                TimeSpan.FromSeconds(60), "both workloads to be created and recorded by host A");
            a.Process.Kill(); // SIGKILL: no shutdown code runs; its heartbeat row stays until it ages out
            await a.Process.WaitForExitAsync();

            File.WriteAllText(Path.Combine(gates.FullName, "gated"), "");
            Assert.Equal("running", (await EnvironmentCatalog.WaitForStateAsync(b.Admin, "alice", "finishes", "running", seconds: 120)).GetProperty("state").GetString());
            var never = await EnvironmentCatalog.WaitForStateAsync(b.Admin, "alice", "never", "failed");
            Assert.StartsWith("Did not become ready within the profile's start timeout of 20 s", never.GetProperty("failureReason").GetString());
            Assert.Equal(1, EnvironmentCatalog.ProcessesWith(marker)); // the finished one's; the timed-out one's was removed
            await ApiAssert.OkAsync(await b.Admin.GetAsync(new Uri("/user/alice/finishes/after-kill", UriKind.Relative)));
            Assert.Equal(HttpStatusCode.NoContent, (await b.Admin.DeleteAsync(new Uri("/api/users/alice/environments/finishes", UriKind.Relative))).StatusCode);
            Assert.Equal(0, EnvironmentCatalog.ProcessesWith(marker));
            await HostProcess.StopAsync(b.Process);
        }
    }

    private string Plugins { get; } = PluginFolder.With(PluginFolder.BuiltIn);

    private Dictionary<string, string> Settings { get; } = new()
    {
        ["Compute__Local__Root"] = TestFolders.Create("devplatform-replicas-"),
        ["Environments__ReconcileSeconds"] = "1",
        ["Jobs__CheckinSeconds"] = "1",
    };

    private async Task<(Replica A, Replica B)> StartTwoAsync(string database)
    {
        var (a, urlA) = await HostProcess.StartAsync(database, Plugins, Settings);
        var (b, urlB) = await HostProcess.StartAsync(database, Plugins, Settings);
        var replicaA = new Replica(a, urlA);
        await EnvironmentCatalog.SeedAsync(replicaA.Admin, new { maxRunningEnvironmentsPerUser = 25 },
            EnvironmentCatalog.WebProfile("marked", command: ["python3", EnvironmentCatalog.EchoWorkload, marker]),
            EnvironmentCatalog.WebProfile("gated", startTimeoutSeconds: 600, command: Gated("gated")), // as long as a cluster's: the test's pace must not time them out
            EnvironmentCatalog.WebProfile("never", startTimeoutSeconds: 20, command: Gated("never")));
        return (replicaA, new Replica(b, urlB));
    }

    /// <summary>A workload that serves only once its gate file exists: the test decides when a start becomes ready, without timing.</summary>
    private string[] Gated(string gate) =>
        ["sh", "-c", $"while [ ! -e {Path.Combine(gates.FullName, gate)} ]; do sleep 1; done; exec python3 {EnvironmentCatalog.EchoWorkload} {marker}"]; // twenty of them: a light loop

    private static async Task<HttpStatusCode[]> BothAsync(Replica a, Replica b, Func<HttpClient, Task<HttpResponseMessage>> send)
    {
        var answers = await Task.WhenAll(send(a.Admin), send(b.Admin));
        return [.. answers.Select(r => r.StatusCode)];
    }

    /// <summary>Bob keeps using his environment through the given replica until told to stop; every answer's status.</summary>
    private static async Task<List<HttpStatusCode>> UserWorksAsync(Uri replica, CancellationToken stop)
    {
        using var client = new HttpClient { BaseAddress = replica };
        client.DefaultRequestHeaders.Authorization = new("Bearer", PlatformFactory.AdminToken);
        var answers = new List<HttpStatusCode>();
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(20)); // a busy user's pace, not a load test: the hosts starting beside it share two cores
        do
        {
            using var response = await client.GetAsync(new Uri("/user/bob/work/notebook", UriKind.Relative), CancellationToken.None);
            answers.Add(response.StatusCode);
        }
        while (!stop.IsCancellationRequested && await pace.WaitForNextTickAsync(CancellationToken.None));

        return answers;
    }

    private static Task<long> TransitionsAsync(string database, string name, string state) =>
        Sql.ScalarAsync(database, $"""
            SELECT count(*) FROM environment_events ev JOIN environments e ON e.id = ev.environment_id WHERE e.name = '{name}' AND ev.transition AND ev.state = '{state}'
            """);

    private static Task<long> CountAsync(string database, string where) => Sql.ScalarAsync(database, $"SELECT count(*) FROM environments WHERE {where}");

    /// <summary>A host process and an admin client for it; disposing kills it if the test did not stop it, so a failing test leaves no host running.</summary>
    private sealed class Replica(System.Diagnostics.Process process, Uri url) : IDisposable
    {
        private readonly IDisposable killer = HostProcess.KillOnExit(process);

        public System.Diagnostics.Process Process { get; } = process;

        public Uri Url { get; } = url;

        public HttpClient Admin { get; } = new HttpClient { BaseAddress = url, DefaultRequestHeaders = { Authorization = new("Bearer", PlatformFactory.AdminToken) } };

        public void Dispose()
        {
            Admin.Dispose();
            killer.Dispose();
            Process.Dispose();
        }
    }
}
