using DevPlatform.Abstractions;
using DevPlatform.Audit;
using DevPlatform.Persistence;
using DevPlatform.Strategies;
using DevPlatform.Validation;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Jobs;

/// <summary>The registered jobs joined with their pause, their next firing in Hangfire and their run history.</summary>
internal sealed class JobCatalog(
    NamedStrategies<IPlatformJob> jobs, JobStorage storage, IBackgroundJobClient client, JobSchedules schedules, PlatformDbContext db, TimeProvider time)
{
    public IPlatformJob Find(string name) => jobs.Find(name)
        ?? throw new ApiProblemException(404, "No such job.", $"There is no job named '{name}'. Jobs: {string.Join(", ", jobs.Names)}.");

    public async Task<JobView> ViewAsync(IPlatformJob job, CancellationToken cancellationToken)
    {
        var paused = await db.JobSchedules.AsNoTracking().AnyAsync(s => s.Job == job.Name && s.Paused, cancellationToken);
        DateTimeOffset? next = null;
        if (!paused)
        {
            using var connection = storage.GetConnection();
            next = connection.GetRecurringJobs([job.Name]).FirstOrDefault(r => !r.Removed)?.NextExecution is { } at ? new DateTimeOffset(at, TimeSpan.Zero) : null;
        }

        var last = await db.JobRuns.AsNoTracking().Where(r => r.Job == job.Name).OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        return new JobView(job.Name, job.Description, (int)schedules.IntervalOf(job).TotalSeconds, paused, next, last is null ? null : JobRunView.From(last));
    }

    /// <summary>Queues one run now; some host's worker picks it up within <c>Jobs:PollSeconds</c>.</summary>
    public void Trigger(IPlatformJob job, string actor)
    {
        var name = job.Name;
        client.Enqueue<PlatformJobRunner>(JobSchedules.Queue, runner => runner.RunAsync(name, actor, null, CancellationToken.None)); // the job keeps its queue for retries
    }

    /// <summary>Pauses or resumes the job on every host (the pause is a row; the schedule follows it); audited.</summary>
    public async Task<JobView> PauseAsync(IPlatformJob job, bool pause, string actor, AuditLog audit, CancellationToken cancellationToken)
    {
        var before = await ViewAsync(job, cancellationToken);
        var row = await db.JobSchedules.FindAsync([job.Name], cancellationToken);
        if (row is null)
        {
            db.JobSchedules.Add(row = new JobSchedule { Job = job.Name });
        }

        row.Paused = pause;
        row.UpdatedAt = time.GetUtcNow();
        audit.Record(actor, pause ? "pause" : "resume", "job", job.Name, new { before.Paused }, new { Paused = pause });
        await db.SaveChangesAsync(cancellationToken);
        schedules.Apply(job, pause);
        return await ViewAsync(job, cancellationToken);
    }
}
