extern alias apphost;

using apphost::DevPlatform.AppHost;

namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>The real host as a process, for what a person sees when start-up is refused: the exit code and the lines on stderr.</summary>
public static class HostProcess
{
    public static async Task<(int ExitCode, string Output)> RunExpectingExitAsync(string connectionString, string pluginDirectory, IReadOnlyDictionary<string, string> settings)
    {
        var (code, stdout, stderr) = await RunAsync([], connectionString, pluginDirectory, settings, "the host started instead of refusing to");
        return (code, stderr + stdout);
    }

    /// <summary>A host command (<c>render cluster</c>, <c>catalog apply</c>…): its exit code, stdout and stderr apart.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunCommandAsync(
        IReadOnlyList<string> args, string connectionString, string pluginDirectory, IReadOnlyDictionary<string, string>? settings = null) =>
        RunAsync(args, connectionString, pluginDirectory, settings ?? new Dictionary<string, string>(), $"'{string.Join(' ', args)}' did not finish");

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        IReadOnlyList<string> args, string connectionString, string pluginDirectory, IReadOnlyDictionary<string, string> settings, string hangs)
    {
        var environment = new Dictionary<string, string>(settings)
        {
            ["ConnectionStrings__Platform"] = connectionString,
            ["Plugins__Directory"] = pluginDirectory,
            ["Platform__AdminToken"] = PlatformFactory.AdminToken,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{TestPostgres.FreePort()}",
            ["Logging__Console__FormatterName"] = "simple",
        };
        using var process = PlatformProcess.Start(args, environment, inheritOutput: false);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{hangs}:\n{await stdout}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts the real host (or <paramref name="assembly"/>, a published build of it) and waits until /readyz answers 200; the caller stops it with SIGTERM.</summary>
    public static async Task<(System.Diagnostics.Process Process, Uri BaseUrl)> StartAsync(
        string connectionString, string pluginDirectory, IReadOnlyDictionary<string, string> settings, string? assembly = null)
    {
        var port = TestPostgres.FreePort();
        var environment = new Dictionary<string, string>(settings)
        {
            ["ConnectionStrings__Platform"] = connectionString,
            ["Plugins__Directory"] = pluginDirectory,
            ["Platform__AdminToken"] = PlatformFactory.AdminToken,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
        };
        var process = PlatformProcess.Start([], environment, inheritOutput: false, assembly);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        var baseUrl = new Uri($"http://127.0.0.1:{port}");
        using var http = new HttpClient { BaseAddress = baseUrl };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await http.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode)
                {
                    return (process, baseUrl);
                }
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100); // not listening yet: poll again until the deadline
            }
        }

        var exited = process.HasExited ? $"exited with {process.ExitCode}" : "did not become ready within 60 s";
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        var said = (await errors + await output).Trim();
        process.Dispose();
        throw new InvalidOperationException($"the host {exited}; its last output: {said[Math.Max(0, said.Length - 3000)..]}");
    }

    /// <summary>Kills the host when the scope ends, so a failing test leaves no host running.</summary>
    public static IDisposable KillOnExit(System.Diagnostics.Process process) => new Killer(process);

    public static Task StopAsync(System.Diagnostics.Process process) => PlatformProcess.StopAsync(process, TimeSpan.FromSeconds(30));

    /// <summary>Asserts start-up was refused with exit code 1 and the one-line reason on stderr.</summary>
    public static async Task AssertRefusedAsync(string connectionString, string pluginDirectory, IReadOnlyDictionary<string, string> settings, string reason)
    {
        var (code, output) = await RunExpectingExitAsync(connectionString, pluginDirectory, settings);
        Assert.True(code == 1, $"exit code {code}:\n{output}");
        Assert.Contains(output.Split('\n'), line => line.StartsWith("devplatform: ", StringComparison.Ordinal) && line.Contains(reason, StringComparison.Ordinal));
    }

    private sealed class Killer(System.Diagnostics.Process process) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: false);
                }
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
        }
    }
}
