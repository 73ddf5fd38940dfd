namespace DevPlatform.Environments;

/// <summary>Configuration section <c>Environments</c>.</summary>
internal sealed class EnvironmentOptions
{
    public const string Section = "Environments";

    /// <summary>How often the reconciler looks for workloads that ended on their own.</summary>
    public int ReconcileSeconds { get; set; } = 15;

    /// <summary>How long before an idle or max-age stop the user is warned (at most half the limit).</summary>
    public int CullWarningMinutes { get; set; } = 5;

    /// <summary>How often proxied activity is written to the database.</summary>
    public int ActivityFlushSeconds { get; set; } = 10;

    /// <summary>Stop this host's environments when it shuts down (the AppHost sets it, so Ctrl+C leaves nothing running).</summary>
    public bool StopOnShutdown { get; set; }
}
