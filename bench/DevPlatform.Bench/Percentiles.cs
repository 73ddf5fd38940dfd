using System.Globalization;

namespace DevPlatform.Bench;

internal static class Percentiles
{
    public static double Of(IReadOnlyList<double> values, double percentile)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    public static string Describe(IReadOnlyList<double> milliseconds) => string.Create(CultureInfo.InvariantCulture,
        $"n={milliseconds.Count} p50={Of(milliseconds, 50):0.0} ms p99={Of(milliseconds, 99):0.0} ms max={milliseconds.Max():0.0} ms");
}
