using System.Diagnostics;
using DevPlatform.Abstractions;

namespace DevPlatform.Compute.Local;

/// <summary>
/// Installs bundles before the workload starts (<see cref="PackageInstall.Command"/>, no shell), output streamed as progress
/// and kept in the environment's log; a failure names its last error line (pip's five retries stay in the log).
/// </summary>
internal static class PackageInstaller
{
    public static async Task InstallAsync(
        PackageInstall bundle, IReadOnlyDictionary<string, string> environment, string home, string logFile, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var command = bundle.Command();
        var program = CommandHints.Resolve(command[0], environment.GetValueOrDefault("PATH"))
            ?? throw new BackendStartException($"Bundle '{bundle.Bundle}' needs {command[0]}: {CommandHints.NotInstalled(command[0])}");

        progress.Report($"Installing bundle '{bundle.Bundle}' ({bundle.Manager}): {string.Join(' ', bundle.Packages)}");
        var start = new ProcessStartInfo(program) { WorkingDirectory = home, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in command.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Clear();
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new BackendStartException($"could not start {command[0]}");
        await using var log = new StreamWriter(new FileStream(logFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        await log.WriteLineAsync($"$ {string.Join(' ', command)}");
        string? lastLine = null, lastError = null;
        var gate = new SemaphoreSlim(1, 1);
        async Task PumpAsync(StreamReader reader)
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                progress.Report(line);
                await gate.WaitAsync(cancellationToken);
                try
                {
                    await log.WriteLineAsync(line);
                    lastLine = line.Trim().Length > 0 ? line.Trim() : lastLine;
                    lastError = line.Contains("ERROR", StringComparison.Ordinal) || line.Contains("error:", StringComparison.OrdinalIgnoreCase) ? line.Trim() : lastError;
                }
                finally
                {
                    gate.Release();
                }
            }
        }

        try
        {
            await Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError), process.WaitForExitAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new BackendStartException(
                $"Installing bundle '{bundle.Bundle}' failed ({bundle.Manager} exited with {process.ExitCode}): {lastError ?? lastLine ?? "no output"}. The full output is in the environment's logs.");
        }
    }
}
