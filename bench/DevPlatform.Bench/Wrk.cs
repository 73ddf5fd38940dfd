using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace DevPlatform.Bench;

/// <summary>Runs wrk (Debian package wrk) and reads requests/s and latency percentiles from its report.</summary>
internal static partial class Wrk
{
    /// <param name="ClientMicrosPerRequest">wrk's own CPU time per request: what the load generator takes of the cores.</param>
    public sealed record Result(double RequestsPerSecond, double P50Ms, double P99Ms, int Errors, double ClientMicrosPerRequest);

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex Rps();

    [GeneratedRegex(@"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline)]
    private static partial Regex Latency();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xx();

    public static Result Run(string url, int connections, int seconds, params string[] headers) => RunScript(url, connections, seconds, null, headers);

    /// <param name="script">A wrk Lua script (e.g. one making each request's path unique), or null for plain GETs.</param>
    public static Result RunScript(string url, int connections, int seconds, string? script, params string[] headers)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true };
        foreach (var arg in new[] { $"-t{Math.Min(2, connections)}", $"-c{connections}", $"-d{seconds}s", "--latency" })
        {
            start.ArgumentList.Add(arg);
        }

        if (script is not null)
        {
            start.ArgumentList.Add("-s");
            start.ArgumentList.Add(script);
        }

        foreach (var header in headers)
        {
            start.ArgumentList.Add("-H");
            start.ArgumentList.Add(header);
        }

        start.ArgumentList.Add(url);
        var reaped = ChildCpu.Reaped();
        using var wrk = Process.Start(start) ?? throw new InvalidOperationException("wrk is not installed (apt-get install wrk)");
        var report = wrk.StandardOutput.ReadToEnd();
        wrk.WaitForExit();
        var latencies = Latency().Matches(report).ToDictionary(m => m.Groups[1].Value, m => ToMs(m.Groups[2].Value, m.Groups[3].Value));
        var errors = Non2xx().Match(report) is { Success: true } e ? int.Parse(e.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var requestsPerSecond = double.Parse(Rps().Match(report).Groups[1].Value, CultureInfo.InvariantCulture);
        return new Result(requestsPerSecond, latencies["50"], latencies["99"], errors, (ChildCpu.Reaped() - reaped).TotalMicroseconds / (requestsPerSecond * seconds));
    }

    private static double ToMs(string value, string unit) =>
        double.Parse(value, CultureInfo.InvariantCulture) * unit switch { "us" => 0.001, "s" => 1000, _ => 1 };
}
