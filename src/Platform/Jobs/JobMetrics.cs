using System.Diagnostics.Metrics;
using DevPlatform.Metrics;

namespace DevPlatform.Jobs;

/// <summary>Job runs by job and outcome, and how long they took.</summary>
internal static class JobMetrics
{
    private static readonly Counter<long> Runs = PlatformMeter.Meter.CreateCounter<long>("devplatform.job.runs", "{run}", "Job runs, by job and outcome.");
    private static readonly Histogram<double> Duration = PlatformMeter.Meter.CreateHistogram<double>("devplatform.job.duration", "s", "How long job runs took.");

    public static void Record(string job, JobOutcome outcome, TimeSpan took)
    {
        var tags = new KeyValuePair<string, object?>[] { new("job", job), new("outcome", outcome.ToString().ToLowerInvariant()) };
        Runs.Add(1, tags);
        Duration.Record(took.TotalSeconds, tags);
    }
}
