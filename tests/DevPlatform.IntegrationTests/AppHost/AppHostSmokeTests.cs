extern alias apphost;

using System.Diagnostics;
using System.Text;
using DevPlatform.IntegrationTests.Fixtures;
using apphost::DevPlatform.AppHost;

namespace DevPlatform.IntegrationTests.AppHost;

/// <summary>The README's run command as a process, for real: private PostgreSQL, migrations, host, dashboard, /readyz, SIGTERM, nothing left.</summary>
public sealed class AppHostSmokeTests
{
    [Fact]
    public async Task AppHost_StartsReadyThenStopsCleanlyOnSigterm_AndReusesDataOnSecondRun()
    {
        var workDir = TestFolders.Create("devplatform-apphost-");
        File.SetUnixFileMode(workDir, (UnixFileMode)0b111_101_101);
        var appHostDll = Path.Combine(AppContext.BaseDirectory, "DevPlatform.AppHost.dll");

        for (var run = 1; run <= 2; run++)
        {
            var port = TestPostgres.FreePort();
            var output = new StringBuilder();
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(appHostDll);
            start.Environment["DEVPLATFORM_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            DashboardOnFreePorts(start);
            using var process = Process.Start(start)!;
            var ready = new TaskCompletionSource<int>();
            process.OutputDataReceived += (_, e) => Collect(e.Data);
            process.ErrorDataReceived += (_, e) => Collect(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            var completed = await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(120)));
            Assert.True(completed == ready.Task, $"AppHost run {run} did not become ready:\n{Output()}");
            var platformPid = await ready.Task;
            Assert.NotEqual(0, platformPid);

            using var http = new HttpClient();
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/readyz"))).StatusCode);
            Assert.Equal(run == 1 ? 3 : 0, CountOf(Output(), "created")); // the default catalog: created once, then unchanged
            Assert.Contains("sign in as 'admin' for the admin console", Output(), StringComparison.Ordinal);
            if (run == 1)
            {
                // A second run on the same state directory says who runs it and leaves it alone; --help only prints usage.
                var (helpCode, help) = await RunToExitAsync(workDir, appHostDll, ["--help"], port);
                Assert.Equal(0, helpCode);
                Assert.Contains("Usage: dotnet run --project DevPlatform.AppHost", help, StringComparison.Ordinal);
                var (secondCode, second) = await RunToExitAsync(workDir, appHostDll, [], TestPostgres.FreePort());
                Assert.Equal(1, secondCode);
                Assert.Contains($"apphost: DevPlatform is already running from {Path.Combine(workDir, ".devplatform")} (pid {process.Id}, http://127.0.0.1:{port})", second, StringComparison.Ordinal);
                Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/readyz"))).StatusCode);

                // doctor beside the running AppHost finds its database with no configuration.
                var doctor = new ProcessStartInfo("dotnet") { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true };
                doctor.ArgumentList.Add(PlatformProcess.AssemblyPath);
                doctor.ArgumentList.Add("doctor");
                using var checkup = Process.Start(doctor)!;
                var report = await checkup.StandardOutput.ReadToEndAsync();
                await checkup.WaitForExitAsync();
                Assert.Contains($"info  database: the running AppHost's (pid {process.Id}", report, StringComparison.Ordinal);
                Assert.Contains("ok    database: reachable, schema current", report, StringComparison.Ordinal);
            }

            Assert.Equal(0, Kill(process.Id, 15));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, process.ExitCode);
            Assert.False(IsAlive(platformPid), "the platform host outlived the AppHost");
            var pg = new PostgresCluster(PostgresBinaries.Find()!, Path.Combine(workDir, ".devplatform", "postgres"));
            Assert.False(await pg.IsRunningAsync(CancellationToken.None), $"PostgreSQL outlived the AppHost:\n{Output()}");

            // The process's output arrives on other threads while the test reads it (an assertion's message is built even when
            // it passes): read it under the same lock (an unlocked read once threw from StringBuilder.ToString in CI).
            string Output()
            {
                lock (output)
                {
                    return output.ToString();
                }
            }

            void Collect(string? line)
            {
                if (line is null)
                {
                    return;
                }

                lock (output)
                {
                    output.AppendLine(line);
                }

                if (line.Contains("DevPlatform is ready.", StringComparison.Ordinal))
                {
                    ready.TrySetResult(PortHolder.Pid(port) ?? 0); // the platform host listens on the port
                }
            }
        }
    }

    [Fact]
    public async Task AppHost_OnATakenPort_NamesTheProgramHoldingIt_AndStartsNothing()
    {
        var workDir = TestFolders.Create("devplatform-apphost-port-");
        var port = TestPostgres.FreePort();
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
        squatter.Start();
        var (code, output) = await RunToExitAsync(workDir, Path.Combine(AppContext.BaseDirectory, "DevPlatform.AppHost.dll"), [], port);
        Assert.Equal(1, code);
        Assert.Contains($"apphost: port {port} on 127.0.0.1 is taken by pid {Environment.ProcessId} (", output, StringComparison.Ordinal);
        Assert.DoesNotContain("is ready", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(workDir, ".devplatform", "postgres")), "PostgreSQL was set up for a run that could not start");
    }

    [Fact]
    public async Task AppHost_WithoutPostgresBinaries_SaysHowToInstallThem()
    {
        // A private mount namespace hides the PostgreSQL binaries from this one process (we run as root in CI).
        var appHostDll = Path.Combine(AppContext.BaseDirectory, "DevPlatform.AppHost.dll");
        var start = new ProcessStartInfo("unshare") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Directory.CreateTempSubdirectory().FullName };
        foreach (var arg in new[] { "-m", "--propagation", "private", "sh", "-c",
            "for d in /usr/lib/postgresql /usr/local/bin; do [ -d $d ] && mount -t tmpfs none $d; done; exec dotnet \"$0\"", appHostDll })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PATH"] = "/usr/bin:/bin:/usr/sbin:/sbin";
        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(1, process.ExitCode);
        Assert.Contains("apphost: PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found. Install them: sudo apt-get install -y postgresql", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output)> RunToExitAsync(string workDir, string appHostDll, string[] args, int port)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(appHostDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DEVPLATFORM_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        DashboardOnFreePorts(start);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The dashboard on ports of its own, so a developer's running AppHost (18888) does not collide.</summary>
    private static void DashboardOnFreePorts(ProcessStartInfo start)
    {
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{TestPostgres.FreePort()}";
        start.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{TestPostgres.FreePort()}";
        start.Environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://127.0.0.1:{TestPostgres.FreePort()}";
    }

    private static int CountOf(string text, string word) =>
        text.Split('\n').Count(l => l.Contains("Catalog file", StringComparison.Ordinal) && l.Contains($"3 {word}", StringComparison.Ordinal)) * 3;

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
