using DevPlatform.Abstractions;
using DevPlatform.Persistence;
using DevPlatform.Strategies;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DevPlatform.Jobs;

/// <summary>
/// The recurring jobs in Hangfire's storage, one per registered job (id = the job's name), on its interval as cron —
/// except paused ones, which are removed until resumed (the pause itself is a row in <c>job_schedules</c>). Done at
/// every start-up; two hosts starting at once write the same definitions.
/// </summary>
internal sealed class JobSchedules(IRecurringJobManager recurring, NamedStrategies<IPlatformJob> jobs, IOptions<JobsOptions> options)
{
    /// <summary>The one queue the platform's jobs use.</summary>
    public const string Queue = "devplatform";

    public TimeSpan IntervalOf(IPlatformJob job) =>
        options.Value.Intervals.TryGetValue(job.Name, out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : job.DefaultInterval;

    public async Task EnsureAsync(PlatformDbContext db, CancellationToken cancellationToken)
    {
        var paused = (await db.JobSchedules.AsNoTracking().Where(s => s.Paused).Select(s => s.Job).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        foreach (var job in jobs.All)
        {
            Apply(job, paused.Contains(job.Name));
        }
    }

    /// <summary>Schedules the job, or takes it off the schedule while it is paused.</summary>
    public void Apply(IPlatformJob job, bool paused)
    {
        if (paused)
        {
            recurring.RemoveIfExists(job.Name);
            return;
        }

        var name = job.Name;
        recurring.AddOrUpdate<PlatformJobRunner>(name, Queue, runner => runner.RunAsync(name, PlatformJobRunner.Schedule, null, CancellationToken.None),
            JobCron.From(IntervalOf(job)), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc, MisfireHandling = MisfireHandlingMode.Relaxed });
    }
}
