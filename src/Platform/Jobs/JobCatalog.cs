using DevPlatform.Abstractions;
using DevPlatform.Audit;
using DevPlatform.Persistence;
using DevPlatform.Strategies;
using DevPlatform.Validation;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace DevPlatform.Jobs;

/// <summary>The registered jobs joined with their state in the clustered store and their run history.</summary>
internal sealed class JobCatalog(NamedStrategies<IPlatformJob> jobs, ISchedulerFactory factory, JobSchedules schedules, PlatformDbContext db)
{
    public IPlatformJob Find(string name) => jobs.Find(name)
        ?? throw new ApiProblemException(404, "No such job.", $"There is no job named '{name}'. Jobs: {string.Join(", ", jobs.Names)}.");

    public async Task<JobView> ViewAsync(IPlatformJob job, CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        var trigger = await scheduler.GetTrigger(JobSchedules.TriggerOf(job.Name), cancellationToken);
        var paused = trigger is not null && await scheduler.GetTriggerState(trigger.Key, cancellationToken) == TriggerState.Paused;
        var last = await db.JobRuns.AsNoTracking().Where(r => r.Job == job.Name).OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        return new JobView(job.Name, job.Description, (int)schedules.IntervalOf(job).TotalSeconds, paused,
            paused ? null : trigger?.NextFireTimeUtc, last is null ? null : JobRunView.From(last));
    }

    public async Task TriggerAsync(IPlatformJob job, string actor, CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        await scheduler.TriggerJob(JobSchedules.KeyOf(job.Name), new JobDataMap { [PlatformJobRunner.RequestedBy] = actor }, cancellationToken);
    }

    /// <summary>Pauses or resumes the job's schedule on every host (the state lives in the store); audited.</summary>
    public async Task<JobView> PauseAsync(IPlatformJob job, bool pause, string actor, AuditLog audit, PlatformDbContext context, CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        var before = await ViewAsync(job, cancellationToken);
        if (pause)
        {
            await scheduler.PauseTrigger(JobSchedules.TriggerOf(job.Name), cancellationToken);
        }
        else
        {
            await scheduler.ResumeTrigger(JobSchedules.TriggerOf(job.Name), cancellationToken);
        }

        var after = await ViewAsync(job, cancellationToken);
        audit.Record(actor, pause ? "pause" : "resume", "job", job.Name, new { before.Paused }, new { after.Paused });
        await context.SaveChangesAsync(cancellationToken);
        return after;
    }
}
