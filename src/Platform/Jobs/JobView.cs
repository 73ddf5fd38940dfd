namespace DevPlatform.Jobs;

/// <summary>A job as admins see it: what it does, how often, whether paused, when it runs next and how it last went.</summary>
internal sealed record JobView(
    string Name, string Description, int IntervalSeconds, bool Paused, DateTimeOffset? NextRunAt, JobRunView? LastRun);

internal sealed record JobRunView(
    long Id, string Job, string Node, string Trigger, DateTimeOffset? ScheduledFor, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, double? DurationSeconds, JobOutcome Outcome, string? Summary)
{
    public static JobRunView From(JobRun r) => new(
        r.Id, r.Job, r.Node, r.Trigger, r.ScheduledFor, r.StartedAt, r.FinishedAt, r.FinishedAt is { } end ? Math.Round((end - r.StartedAt).TotalSeconds, 3) : null, r.Outcome, r.Summary);
}
