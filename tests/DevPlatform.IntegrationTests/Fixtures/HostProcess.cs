extern alias apphost;

using apphost::DevPlatform.AppHost;

namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>The real host as a process, for what a person sees when start-up is refused: the exit code and the lines on stderr.</summary>
public static class HostProcess
{
    public static async Task<(int ExitCode, string Output)> RunExpectingExitAsync(string connectionString, string pluginDirectory, IReadOnlyDictionary<string, string> settings)
    {
        var environment = new Dictionary<string, string>(settings)
        {
            ["ConnectionStrings__Platform"] = connectionString,
            ["Plugins__Directory"] = pluginDirectory,
            ["Platform__AdminToken"] = PlatformFactory.AdminToken,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{TestPostgres.FreePort()}",
            ["Logging__Console__FormatterName"] = "simple",
        };
        using var process = PlatformProcess.Start([], environment, inheritOutput: false);
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
            Assert.Fail($"the host started instead of refusing to:\n{await stdout}");
        }

        return (process.ExitCode, await stderr + await stdout);
    }

    /// <summary>Asserts start-up was refused with exit code 1 and the one-line reason on stderr.</summary>
    public static async Task AssertRefusedAsync(string connectionString, string pluginDirectory, IReadOnlyDictionary<string, string> settings, string reason)
    {
        var (code, output) = await RunExpectingExitAsync(connectionString, pluginDirectory, settings);
        Assert.True(code == 1, $"exit code {code}:\n{output}");
        Assert.Contains(output.Split('\n'), line => line.StartsWith("devplatform: ", StringComparison.Ordinal) && line.Contains(reason, StringComparison.Ordinal));
    }
}
