using System.Diagnostics;

namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>A real command-line tool (promtool, ssh-keygen…) run to the end: its exit code and output (stdout, then stderr).</summary>
public static class CommandLine
{
    public static async Task<(int Code, string Output)> RunAsync(string program, IEnumerable<string> args, string? stdin = null, string? workingDirectory = null)
    {
        Assert.True(File.Exists(program), $"{program} is not installed (.ci/run installs it)");
        var start = new ProcessStartInfo(program) { RedirectStandardInput = stdin is not null, RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Runs the tool and fails the test, with its output, unless it exits 0; returns the output.</summary>
    public static async Task<string> SucceedAsync(string program, IEnumerable<string> args, string? stdin = null, string? workingDirectory = null)
    {
        var (code, output) = await RunAsync(program, args, stdin, workingDirectory);
        Assert.True(code == 0, $"{Path.GetFileName(program)} {string.Join(' ', args)} exited {code}: {output}");
        return output;
    }
}
