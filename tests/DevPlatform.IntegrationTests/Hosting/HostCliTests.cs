using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Hosting;

/// <summary>`DevPlatform.Platform.dll` as an operator types it: help everywhere, a clear word for a typo, doctor without a database.</summary>
public sealed class HostCliTests
{
    private static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args) =>
        HostProcess.RunCommandAsync(args, connectionString: "", PluginFolder.With(PluginFolder.BuiltIn));

    [Theory]
    [InlineData("--help")]
    [InlineData("help")]
    public async Task Help_ListsEveryCommand_AndStartsNothing(string asked)
    {
        var (code, stdout, stderr) = await RunAsync(asked);
        Assert.True(code == 0, stdout + stderr);
        foreach (var command in new[] { "serve", "migrate", "apply-catalog", "render", "doctor", "schema-script" })
        {
            Assert.Contains($"  {command}", stdout, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Now listening", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubcommandHelp_NamesItsArguments()
    {
        var (code, stdout, _) = await RunAsync("apply-catalog", "--help");
        Assert.Equal(0, code);
        Assert.Contains("<file>", stdout, StringComparison.Ordinal);
        Assert.Contains("every entry in it wins over console edits", stdout, StringComparison.Ordinal);
        var (renderCode, render, _) = await RunAsync("render", "sftp", "--help");
        Assert.Equal(0, renderCode);
        Assert.Contains("<dir>", render, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMistypedCommand_IsNamed_WithNoStackTrace()
    {
        var (code, stdout, stderr) = await RunAsync("migrat");
        Assert.Equal(1, code);
        Assert.Contains("devplatform: Unknown command or argument 'migrat'. Run with --help", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_WithNoDatabase_StillChecksEverythingElse()
    {
        var (code, stdout, stderr) = await RunAsync("doctor");
        Assert.True(code == 1, stdout + stderr);
        Assert.Contains("FAIL  database: not configured", stdout, StringComparison.Ordinal);
        Assert.Contains("ok    storage: Local disk is writable", stdout, StringComparison.Ordinal);
        Assert.Contains("ok    local workloads: python3 at ", stdout, StringComparison.Ordinal);
        Assert.Contains("local workloads: jupyterhub-singleuser", stdout, StringComparison.Ordinal);
        Assert.Contains("local workloads: code-server", stdout, StringComparison.Ordinal);
        Assert.Contains("1 required check(s) failed.", stdout, StringComparison.Ordinal);
    }
}
