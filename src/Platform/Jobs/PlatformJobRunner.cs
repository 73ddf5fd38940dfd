using DevPlatform.Abstractions;
using DevPlatform.Persistence;
using DevPlatform.Strategies;
using Hangfire;
using Hangfire.Server;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DevPlatform.Jobs;

/// <summary>
/// The one Hangfire job method: runs the <see cref="IPlatformJob"/> it names in a scope of its own and records the run in
/// <c>job_runs</c>. A job never runs twice at once anywhere: the run holds Hangfire's distributed lock on the job's name,
/// and a firing that finds it held is skipped (the next firing comes anyway). A failure is recorded with its message;
/// jobs that run hourly or less often are then retried by Hangfire (after 10 s, 1 min, 10 min), frequent ones
/// are not (their next firing is the retry, and a pile of retries would only overlap it).
/// </summary>
internal sealed class PlatformJobRunner(
    NamedStrategies<IPlatformJob> jobs, IServiceScopeFactory scopes, JobSchedules schedules, Hosting.HostNode node, TimeProvider time,
    IOptions<JobsOptions> options, Metrics.PlatformMetrics metrics, ILogger<PlatformJobRunner> logger)
{
    /// <summary>The trigger of a scheduled firing (a "run now" carries the admin's name instead).</summary>
    public const string Schedule = "schedule";

    /// <summary>Jobs that run at most this often are retried after a failure.</summary>
    private static readonly TimeSpan RetriedFrom = TimeSpan.FromHours(1);

    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [10, 60, 600], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [JobDisplayName("{0} ({1})")]
    public async Task RunAsync(string name, string trigger, PerformContext? context, CancellationToken cancellationToken)
    {
        if (jobs.Find(name) is not { } job)
        {
            logger.LogWarning("Job {Job} is scheduled but no plugin provides it any more; skipped", name);
            return;
        }

        IDisposable held;
        try
        {
            held = context!.Connection.AcquireDistributedLock($"devplatform:job:{name}", TimeSpan.Zero);
        }
        catch (DistributedLockTimeoutException)
        {
            logger.LogInformation("Job {Job} is still running elsewhere; this firing is skipped", name);
            return;
        }

        using (held)
        {
            var retry = context.GetJobParameter<int>("RetryCount");
            var run = new JobRun
            {
                Job = name, Node = node.NodeId, StartedAt = time.GetUtcNow(), Outcome = JobOutcome.Running, ScheduledFor = context.BackgroundJob.CreatedAt,
                Trigger = retry > 0 ? $"{trigger} (retry {retry})" : trigger,
            };
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
            await db.JobRuns.Where(r => r.Job == name && r.Outcome == JobOutcome.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Outcome, JobOutcome.Interrupted).SetProperty(r => r.Summary, "Its host stopped before the run finished."), cancellationToken);
            db.JobRuns.Add(run);
            await db.SaveChangesAsync(cancellationToken);

            Exception? failure = null;
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
                failure = e;
                run.Outcome = JobOutcome.Failed;
                run.Summary = Line($"{e.GetType().Name}: {e.Message}");
                logger.LogError("Job {Job} failed: {Reason}", name, run.Summary);
                logger.LogDebug(e, "Job {Job} failure detail", name);
            }

            run.FinishedAt = time.GetUtcNow();
            var tags = new KeyValuePair<string, object?>[] { new("job", name), new("outcome", run.Outcome.ToString().ToLowerInvariant()) };
            metrics.JobRuns.Add(1, tags);
            metrics.JobDuration.Record((run.FinishedAt.Value - run.StartedAt).TotalSeconds, tags);
            await db.SaveChangesAsync(CancellationToken.None);
            await PruneAsync(db, name);
            if (failure is not null && schedules.IntervalOf(job) >= RetriedFrom)
            {
                throw new JobFailedException($"Job {name} failed: {run.Summary}", failure); // Hangfire retries it with its back-off
            }
        }
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

/// <summary>A job's failure handed to Hangfire so that it retries the run.</summary>
internal sealed class JobFailedException(string message, Exception inner) : Exception(message, inner);
