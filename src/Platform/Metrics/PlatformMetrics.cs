using System.Diagnostics.Metrics;

namespace DevPlatform.Metrics;

/// <summary>
/// The platform's instruments, on one meter named <c>DevPlatform</c> made by this host's <see cref="IMeterFactory"/>
/// (so two hosts in one process keep apart). <c>/metrics</c> and the OTLP exporter both read it. Gauges read the
/// last <see cref="PlatformCensus"/> taken.
/// </summary>
internal sealed class PlatformMetrics
{
    private readonly Dictionary<Instrument, string[]> labelNames = [];

    public const string MeterName = "DevPlatform";

    public PlatformMetrics(IMeterFactory factory, PlatformCensus census)
    {
        Meter = factory.Create(MeterName);
        JobRuns = Labelled(Meter.CreateCounter<long>("devplatform.job.runs", "{run}", "Job runs, by job and outcome."), "job", "outcome");
        JobDuration = Labelled(Meter.CreateHistogram<double>("devplatform.job.duration", "s", "How long job runs took."), "job", "outcome");
        Culls = Labelled(Meter.CreateCounter<long>("devplatform.environment.culls", "{environment}", "Environments stopped by a culler, by reason."), "reason");
        LaunchDuration = Labelled(Meter.CreateHistogram<double>("devplatform.environment.launch.duration", "s", "From launch request to running, by profile and pool."), "pool", "profile");
        Spend = Labelled(Meter.CreateCounter<double>("devplatform.spend", "USD", "Metered cost since this host started, by group and pool."), "group", "pool");
        BudgetAlerts = Labelled(Meter.CreateCounter<long>("devplatform.budget.alerts", "{alert}", "Budget thresholds crossed, by group and threshold."), "group", "threshold");
        ProxyRequests = Labelled(Meter.CreateCounter<long>("devplatform.proxy.requests", "{request}", "Requests proxied to environments, by status class."), "code");
        Labelled(Meter.CreateObservableGauge("devplatform.environments", census.Environments, "{environment}", "Environments, by state, group, profile and pool."), "group", "pool", "profile", "state");
        Labelled(Meter.CreateObservableGauge("devplatform.environment.idle", census.Idle, "s", "Seconds since each running environment's last activity."), "environment", "group", "profile", "user");
        Labelled(Meter.CreateObservableGauge("devplatform.group.spend", census.GroupSpend, "USD", "Each group's metered spend this month."), "group");
        Labelled(Meter.CreateObservableGauge("devplatform.group.budget", census.GroupBudget, "USD", "Each group's monthly budget."), "group");
    }

    /// <summary>Each instrument's tag names (sorted): its Prometheus labels, declared so /metrics lists every family from the start.</summary>
    public IReadOnlyDictionary<Instrument, string[]> LabelNames => labelNames;

    public Meter Meter { get; }

    public Counter<long> JobRuns { get; }

    public Histogram<double> JobDuration { get; }

    public Counter<long> Culls { get; }

    public Histogram<double> LaunchDuration { get; }

    public Counter<double> Spend { get; }

    public Counter<long> BudgetAlerts { get; }

    public Counter<long> ProxyRequests { get; }

    private T Labelled<T>(T instrument, params string[] labels)
        where T : Instrument
    {
        labelNames[instrument] = [.. labels.Order(StringComparer.Ordinal)];
        return instrument;
    }
}
