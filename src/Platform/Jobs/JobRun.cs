namespace DevPlatform.Jobs;

/// <summary>One run of a job on one host: when, how long, how it ended and what it did.</summary>
internal sealed class JobRun
{
    public long Id { get; set; }

    public required string Job { get; set; }

    /// <summary>The scheduler instance (host) that ran it.</summary>
    public required string Node { get; set; }

    /// <summary>Who asked: <c>schedule</c>, or the admin who pressed "run now".</summary>
    public required string Trigger { get; set; }

    /// <summary>The firing this run serves (the Hangfire job's creation, one per firing): one firing, one run, across the cluster.</summary>
    public DateTimeOffset? ScheduledFor { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public JobOutcome Outcome { get; set; }

    /// <summary>What it did (success) or why it failed, in one line.</summary>
    public string? Summary { get; set; }
}

internal enum JobOutcome
{
    Running,
    Succeeded,
    Failed,

    /// <summary>Its host stopped before the run finished.</summary>
    Interrupted,
}
