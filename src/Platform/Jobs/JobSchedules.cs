using DevPlatform.Abstractions;
using DevPlatform.Strategies;
using Microsoft.Extensions.Options;
using Quartz;

namespace DevPlatform.Jobs;

/// <summary>
/// Puts every registered job and its trigger into the clustered store at start-up, or updates the interval when
/// configuration changed it (first run one interval from now, not at every start-up) — keeping a paused job paused, so an admin's pause survives restarts. Two hosts
/// starting at once may both try; the store keeps one.
/// </summary>
internal sealed class JobSchedules(ISchedulerFactory factory, NamedStrategies<IPlatformJob> jobs, IOptions<JobsOptions> options, ILogger<JobSchedules> logger)
{
    public const string Group = "devplatform";

    public static JobKey KeyOf(string job) => new(job, Group);

    public static TriggerKey TriggerOf(string job) => new(job, Group);

    public TimeSpan IntervalOf(IPlatformJob job) =>
        options.Value.Intervals.TryGetValue(job.Name, out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : job.DefaultInterval;

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        foreach (var job in jobs.All)
        {
            var interval = IntervalOf(job);
            var trigger = TriggerBuilder.Create().WithIdentity(TriggerOf(job.Name)).ForJob(KeyOf(job.Name)).StartAt(DateTimeOffset.UtcNow + interval)
                .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
                .Build();
            try
            {
                var existing = await scheduler.GetTrigger(TriggerOf(job.Name), cancellationToken) as ISimpleTrigger;
                if (existing is null)
                {
                    var detail = JobBuilder.Create<PlatformJobRunner>().WithIdentity(KeyOf(job.Name)).WithDescription(job.Description).StoreDurably().Build();
                    await scheduler.ScheduleJob(detail, [trigger], new ScheduleJobOptions { Replace = true }, cancellationToken);
                }
                else if (existing.RepeatInterval != interval)
                {
                    var paused = await scheduler.GetTriggerState(existing.Key, cancellationToken) == TriggerState.Paused;
                    await scheduler.RescheduleJob(existing.Key, trigger, cancellationToken);
                    if (paused)
                    {
                        await scheduler.PauseTrigger(existing.Key, cancellationToken);
                    }

                    logger.LogInformation("Job {Job} now runs every {Interval}", job.Name, interval);
                }
            }
            catch (ObjectAlreadyExistsException)
            {
                // another host scheduled it first
            }
        }
    }
}
