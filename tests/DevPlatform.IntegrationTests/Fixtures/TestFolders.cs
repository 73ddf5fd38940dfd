using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;

namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>
/// Temporary folders of one test run (plugin copies, local backends' roots, backups, the private PostgreSQL), named with
/// the test process's id: deleted when the process exits, and — since a run killed or ended without its exit handlers
/// leaves them behind — those of runs no longer alive are deleted when the next run creates its first. Thousands per
/// run otherwise stay in /tmp and, over days of runs, fill the disk.
/// </summary>
public static partial class TestFolders
{
    private static readonly ConcurrentBag<string> Created = [];
    private static readonly Lazy<bool> Swept = new(SweepEndedRuns);

    static TestFolders() => AppDomain.CurrentDomain.ProcessExit += (_, _) => Delete(Created);

    /// <param name="deleteAtExit">
    /// False for a folder whose owner deletes it itself at exit after stopping what runs in it (the private PostgreSQL:
    /// deleted first, its server could not be stopped and outlived the run).
    /// </param>
    public static string Create(string prefix, bool deleteAtExit = true)
    {
        _ = Swept.Value;
        var path = Directory.CreateTempSubdirectory($"{prefix}{Environment.ProcessId}-").FullName;
        if (deleteAtExit)
        {
            Created.Add(path);
        }

        return path;
    }

    /// <summary>The folders of ended runs, each after stopping a PostgreSQL still serving from it (a killed run's).</summary>
    private static bool SweepEndedRuns()
    {
        var ended = Directory.EnumerateDirectories(Path.GetTempPath(), "devplatform-*")
            .Where(path => OfProcess().Match(Path.GetFileName(path)) is { Success: true } match
                && !Directory.Exists($"/proc/{int.Parse(match.Groups["pid"].Value, CultureInfo.InvariantCulture)}"))
            .ToList();
        ended.ForEach(StopPostgres);
        Delete(ended);
        return true;
    }

    /// <summary>Kills the postmaster of a cluster under <paramref name="folder"/> if one runs (its backends follow it).</summary>
    private static void StopPostgres(string folder)
    {
        var pidFile = Path.Combine(folder, "data", "postmaster.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), CultureInfo.InvariantCulture, out var pid))
        {
            return;
        }

        try
        {
            // only that postmaster: a stale file's pid may since belong to another program
            if (File.ReadAllText($"/proc/{pid}/cmdline").Contains(folder, StringComparison.Ordinal))
            {
                using var postmaster = System.Diagnostics.Process.GetProcessById(pid);
                postmaster.Kill();
                postmaster.WaitForExit(10_000);
            }
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException or UnauthorizedAccessException)
        {
            // gone meanwhile, or not ours to stop
        }
    }

    private static void Delete(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // a file still held, or owned by another user: left to the system's cleaning of /tmp
            }
        }
    }

    /// <summary><c>devplatform-{what}-{pid}-{random}</c>, as <see cref="Create"/> names them.</summary>
    [GeneratedRegex(@"^devplatform-[a-z-]+?-(?<pid>\d+)-[A-Za-z0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex OfProcess();
}
