extern alias apphost;

using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.AppHost;

/// <summary>
/// The run command under Aspire.Hosting.Testing: the real AppHost (PostgreSQL as an executable resource, the migrations,
/// the platform) started by DistributedApplicationTestingBuilder, used as a newcomer would, then stopped.
/// </summary>
public sealed class AspireAppHostTests
{
    [Fact]
    public async Task AppHost_UnderAspireTesting_PlatformHealthy_UserLaunchesJupyterThroughTheProxy_StopLeavesNoProcess()
    {
        Assert.True(File.Exists("/usr/bin/jupyterhub-singleuser"), "jupyterhub-singleuser is missing; install it with: sudo apt-get install -y jupyterhub");
        var stateDir = TestFolders.Create("devplatform-aspire-");
        File.SetUnixFileMode(stateDir, (UnixFileMode)0b111_101_101); // PostgreSQL's user walks in
        var port = TestPostgres.FreePort();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<apphost::Program>(
            ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--state-dir", stateDir], timeout.Token);
        await using (var app = await builder.BuildAsync(timeout.Token))
        {
            await app.StartAsync(timeout.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("postgres", timeout.Token);
            await app.ResourceNotifications.WaitForResourceAsync("migrate", KnownResourceStates.Finished, timeout.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("platform", timeout.Token);

            var baseAddress = app.GetEndpoint("platform", "http");
            Assert.Equal($"http://localhost:{port}/", baseAddress.ToString());
            using var alice = new Browser(new Uri($"http://127.0.0.1:{port}/"));
            Assert.Equal(HttpStatusCode.OK, (await alice.Client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
            await alice.LoginAsync("alice"); // dev login; she joins the default catalog's 'everyone' group
            await ApiAssert.OkAsync(await alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "lab", profile = "jupyter" }), HttpStatusCode.Accepted);
            await EnvironmentCatalog.WaitForStateAsync(alice.Client, "alice", "lab", "running", 120);

            var (tree, visited) = await alice.FollowAsync("/user/alice/lab/tree/");
            Assert.Equal(HttpStatusCode.OK, tree.StatusCode);
            Assert.Contains(visited, v => v.StartsWith("/user/alice/lab/oauth_callback?code=", StringComparison.Ordinal)); // jupyterhub-singleuser's OAuth with the hub
            var status = await ApiAssert.OkAsync(await alice.Client.GetAsync(new Uri("/user/alice/lab/api/status", UriKind.Relative)));
            Assert.True(status.TryGetProperty("started", out _), $"Jupyter's /api/status through the proxy: {status}");
            Assert.True(ProcessesMentioning(stateDir).Count >= 3, "PostgreSQL, the platform and Jupyter should be running now");

            await app.StopAsync(timeout.Token);
        }

        // Everything the run started is gone: PostgreSQL (stopped cleanly), the platform, and alice's Jupyter.
        var left = await Eventually.UntilAsync(() => Task.FromResult(ProcessesMentioning(stateDir)), l => l.Count == 0, TimeSpan.FromSeconds(30), "every process of the run to exit");
        Assert.Empty(left);
        Assert.Contains("Database cluster state:               shut down", await ControlDataAsync(Path.Combine(stateDir, "postgres", "data")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppHost_WithPrometheus_ScrapesThePlatform_LoadsItsRules_AndKnowsAlertmanager()
    {
        var stateDir = TestFolders.Create("devplatform-aspire-prom-");
        File.SetUnixFileMode(stateDir, (UnixFileMode)0b111_101_101);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<apphost::Program>(
            ["--port", TestPostgres.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--state-dir", stateDir, "--with", "prometheus"], timeout.Token);
        await using (var app = await builder.BuildAsync(timeout.Token))
        {
            await app.StartAsync(timeout.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("prometheus", timeout.Token);
            using var prometheus = new HttpClient { BaseAddress = app.GetEndpoint("prometheus", "http") };
            var up = await Eventually.UntilAsync(
                async () => (await prometheus.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/query?query=up%7Bjob%3D%22devplatform%22%7D")).GetProperty("data").GetProperty("result"),
                r => r.GetArrayLength() == 1, TimeSpan.FromSeconds(60), "Prometheus's first scrape of the platform");
            Assert.Equal("1", up[0].GetProperty("value")[1].GetString()); // the metrics token was accepted
            var rules = await prometheus.GetStringAsync(new Uri("/api/v1/rules", UriKind.Relative));
            Assert.Contains("\"name\":\"EnvironmentIdle\"", rules, StringComparison.Ordinal);
            var alertmanagers = await prometheus.GetStringAsync(new Uri("/api/v1/alertmanagers", UriKind.Relative));
            Assert.Contains($"127.0.0.1:{app.GetEndpoint("alertmanager", "http").Port}/api/v2/alerts", alertmanagers, StringComparison.Ordinal);
            foreach (var carriesASecret in new[] { "prometheus.yml", "alertmanager.yml" })
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(stateDir, "prometheus", carriesASecret))); // the token and secret in them
            }

            await app.StopAsync(timeout.Token);
        }

        Assert.Empty(await Eventually.UntilAsync(() => Task.FromResult(ProcessesMentioning(stateDir)), l => l.Count == 0, TimeSpan.FromSeconds(30), "every process of the run to exit"));
    }

    /// <summary>Processes whose command line or environment names the folder (PostgreSQL's -D, the platform's and Jupyter's settings).</summary>
    private static List<string> ProcessesMentioning(string folder)
    {
        var found = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var command = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (command.Contains(folder, StringComparison.Ordinal) || File.ReadAllText(Path.Combine(dir, "environ")).Contains(folder, StringComparison.Ordinal))
                {
                    found.Add($"{pid}: {command}");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // exited meanwhile
            }
        }

        return found;
    }

    private static async Task<string> ControlDataAsync(string dataDirectory)
    {
        var binary = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pg_controldata")).First(File.Exists);
        var start = new System.Diagnostics.ProcessStartInfo(binary) { RedirectStandardOutput = true };
        start.ArgumentList.Add(dataDirectory);
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }
}
