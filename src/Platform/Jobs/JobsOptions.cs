namespace DevPlatform.Jobs;

/// <summary>Configuration section <c>Jobs</c>.</summary>
internal sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Off: no job runs on this host (it still serves the jobs API). Hosts sharing a database cluster either way.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The Quartz scheduler name; every host of one platform must use the same one.</summary>
    public string SchedulerName { get; set; } = "devplatform";

    /// <summary>This host's id in the cluster; empty: host name plus a unique suffix.</summary>
    public string NodeId { get; set; } = "";

    /// <summary>Per job, seconds between runs (overrides the job's default).</summary>
    public Dictionary<string, int> Intervals { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How often a host tells the cluster it is alive; a host silent for longer has its runs recovered.</summary>
    public int CheckinSeconds { get; set; } = 5;

    /// <summary>The longest a host waits before looking for due runs again (a "run now" from another host waits at most this).</summary>
    public int IdleWaitSeconds { get; set; } = 5;

    /// <summary>Run history kept per job.</summary>
    public int HistoryPerJob { get; set; } = 200;
}
