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

    public static string Create(string prefix)
    {
        _ = Swept.Value;
        var path = Directory.CreateTempSubdirectory($"{prefix}{Environment.ProcessId}-").FullName;
        Created.Add(path);
        return path;
    }

    private static bool SweepEndedRuns()
    {
        Delete(Directory.EnumerateDirectories(Path.GetTempPath(), "devplatform-*")
            .Where(path => OfProcess().Match(Path.GetFileName(path)) is { Success: true } match
                && !Directory.Exists($"/proc/{int.Parse(match.Groups["pid"].Value, CultureInfo.InvariantCulture)}")));
        return true;
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
