using System.Diagnostics;
using DevPlatform.Abstractions;

namespace DevPlatform.Compute.Local;

/// <summary>
/// Installs bundles before the workload starts (<see cref="PackageInstall.Command"/>, no shell), output streamed as progress.
/// </summary>
internal static class PackageInstaller
{
    public static async Task InstallAsync(PackageInstall bundle, IReadOnlyDictionary<string, string> environment, string home, IProgress<string> progress, CancellationToken cancellationToken)
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
        var tail = new Queue<string>();
        async Task PumpAsync(StreamReader reader)
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                progress.Report(line);
                lock (tail)
                {
                    tail.Enqueue(line);
                    if (tail.Count > 5)
                    {
                        tail.Dequeue();
                    }
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
            throw new BackendStartException($"Installing bundle '{bundle.Bundle}' failed ({command[0]} exited with {process.ExitCode}): {string.Join(" | ", tail)}");
        }
    }
}
