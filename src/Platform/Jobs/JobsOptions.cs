namespace DevPlatform.Jobs;

/// <summary>Configuration section <c>Jobs</c>.</summary>
internal sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Off: no job runs on this host (it still serves the jobs API). Hosts sharing a database cluster either way.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>This host's id among the hosts (its Hangfire server name); empty: host name plus a unique suffix.</summary>
    public string NodeId { get; set; } = "";

    /// <summary>Per job, seconds between runs (overrides the job's default).</summary>
    public Dictionary<string, int> Intervals { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How often a host records that it is alive (the <c>hosts</c> table; environments of a silent host are taken over).</summary>
    public int CheckinSeconds { get; set; } = 5;

    /// <summary>How often a host looks for due firings and queued runs (a "run now" from another host waits at most this).</summary>
    public int PollSeconds { get; set; } = 1;

    /// <summary>Jobs this host runs at once (never the same job twice at once anywhere).</summary>
    public int Workers { get; set; } = 4;

    /// <summary>Run history kept per job.</summary>
    public int HistoryPerJob { get; set; } = 200;
}
