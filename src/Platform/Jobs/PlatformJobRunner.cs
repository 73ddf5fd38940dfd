using DevPlatform.Abstractions;
using DevPlatform.Persistence;
using DevPlatform.Strategies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;

namespace DevPlatform.Jobs;

/// <summary>
/// The one Quartz job class: runs the <see cref="IPlatformJob"/> its key names, in a scope of its own, and records
/// the run. Quartz keeps it from overlapping itself anywhere in the cluster. A failure is one log line and a
/// Failed run; the job runs again on its schedule.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class PlatformJobRunner(
    NamedStrategies<IPlatformJob> jobs, IServiceScopeFactory scopes, TimeProvider time, IOptions<JobsOptions> options, Metrics.PlatformMetrics metrics,
    ILogger<PlatformJobRunner> logger) : IJob
{
    /// <summary>Job data on a "run now" trigger: who asked.</summary>
    public const string RequestedBy = "requestedBy";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var name = context.JobDetail.Key.Name;
        if (jobs.Find(name) is not { } job)
        {
            logger.LogWarning("Job {Job} is scheduled but no plugin provides it any more; skipped", name);
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
        await db.JobRuns.Where(r => r.Job == name && r.Outcome == JobOutcome.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Outcome, JobOutcome.Interrupted).SetProperty(r => r.Summary, "Its host stopped before the run finished."), cancellationToken);
        var run = new JobRun
        {
            Job = name, Node = context.Scheduler.SchedulerInstanceId, StartedAt = time.GetUtcNow(), Outcome = JobOutcome.Running, ScheduledFor = context.ScheduledFireTimeUtc,
            Trigger = context.MergedJobDataMap.TryGetString(RequestedBy, out var actor) && actor is not null ? actor : "schedule",
        };
        db.JobRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);

        try
        {
            run.Summary = Line(await job.RunAsync(scope.ServiceProvider, cancellationToken));
            run.Outcome = JobOutcome.Succeeded;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            run.Outcome = JobOutcome.Interrupted;
            run.Summary = "The host shut down during the run.";
        }
        catch (Exception e)
        {
            run.Outcome = JobOutcome.Failed;
            run.Summary = Line($"{e.GetType().Name}: {e.Message}");
            logger.LogError("Job {Job} failed: {Reason}; it runs again on its schedule", name, run.Summary);
            logger.LogDebug(e, "Job {Job} failure detail", name);
        }

        run.FinishedAt = time.GetUtcNow();
        var tags = new KeyValuePair<string, object?>[] { new("job", name), new("outcome", run.Outcome.ToString().ToLowerInvariant()) };
        metrics.JobRuns.Add(1, tags);
        metrics.JobDuration.Record((run.FinishedAt.Value - run.StartedAt).TotalSeconds, tags);
        await db.SaveChangesAsync(CancellationToken.None);
        await PruneAsync(db, name);
    }

    private async Task PruneAsync(PlatformDbContext db, string name)
    {
        var keep = options.Value.HistoryPerJob;
        var oldestKept = await db.JobRuns.Where(r => r.Job == name).OrderByDescending(r => r.Id).Skip(keep - 1).Select(r => (long?)r.Id).FirstOrDefaultAsync();
        if (oldestKept is { } id)
        {
            await db.JobRuns.Where(r => r.Job == name && r.Id < id).ExecuteDeleteAsync();
        }
    }

    private static string Line(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length > 2000 ? line[..2000] : line;
    }
}
