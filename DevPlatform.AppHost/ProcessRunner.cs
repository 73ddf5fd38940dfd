using System.Diagnostics;

namespace DevPlatform.AppHost;

/// <summary>Runs a command to completion, as the <c>postgres</c> user when we are root (PostgreSQL refuses root).</summary>
internal static class ProcessRunner
{
    public const string PostgresUser = "postgres";

    public static bool RunsAsRoot => Environment.IsPrivilegedProcess;

    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> args, bool asPostgres, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true };
        if (asPostgres && RunsAsRoot)
        {
            start.FileName = "runuser";
            foreach (var a in new[] { "-u", PostgresUser, "--", fileName })
            {
                start.ArgumentList.Add(a);
            }
        }
        else
        {
            start.FileName = fileName;
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, (await stdout + await stderr).Trim());
    }

    public static async Task<string> RunCheckedAsync(string fileName, IEnumerable<string> args, bool asPostgres, CancellationToken cancellationToken)
    {
        var list = args.ToList();
        var (code, output) = await RunAsync(fileName, list, asPostgres, cancellationToken);
        return code == 0 ? output : throw new InvalidOperationException($"{Path.GetFileName(fileName)} {string.Join(' ', list)} failed ({code}): {output}");
    }
}
