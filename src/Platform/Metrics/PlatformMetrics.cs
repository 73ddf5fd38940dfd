using System.Diagnostics.Metrics;

namespace DevPlatform.Metrics;

/// <summary>
/// The platform's instruments, on one meter named <c>DevPlatform</c> made by this host's <see cref="IMeterFactory"/>
/// (so two hosts in one process keep apart). <c>/metrics</c> and the OTLP exporter both read it. Gauges read the
/// last <see cref="PlatformCensus"/> taken.
/// </summary>
internal sealed class PlatformMetrics
{
    public const string MeterName = "DevPlatform";

    public PlatformMetrics(IMeterFactory factory, PlatformCensus census)
    {
        Meter = factory.Create(MeterName);
        JobRuns = Meter.CreateCounter<long>("devplatform.job.runs", "{run}", "Job runs, by job and outcome.");
        JobDuration = Meter.CreateHistogram<double>("devplatform.job.duration", "s", "How long job runs took.");
        Culls = Meter.CreateCounter<long>("devplatform.environment.culls", "{environment}", "Environments stopped by a culler, by reason.");
        LaunchDuration = Meter.CreateHistogram<double>("devplatform.environment.launch.duration", "s", "From launch request to running, by profile and pool.");
        Spend = Meter.CreateCounter<double>("devplatform.spend", "USD", "Metered cost since this host started, by group and pool.");
        BudgetAlerts = Meter.CreateCounter<long>("devplatform.budget.alerts", "{alert}", "Budget thresholds crossed, by group and threshold.");
        ProxyRequests = Meter.CreateCounter<long>("devplatform.proxy.requests", "{request}", "Requests proxied to environments, by status class.");
        Meter.CreateObservableGauge("devplatform.environments", census.Environments, "{environment}", "Environments, by state, group, profile and pool.");
        Meter.CreateObservableGauge("devplatform.environment.idle", census.Idle, "s", "Seconds since each running environment's last activity.");
        Meter.CreateObservableGauge("devplatform.group.spend", census.GroupSpend, "USD", "Each group's metered spend this month.");
        Meter.CreateObservableGauge("devplatform.group.budget", census.GroupBudget, "USD", "Each group's monthly budget.");
    }

    public Meter Meter { get; }

    public Counter<long> JobRuns { get; }

    public Histogram<double> JobDuration { get; }

    public Counter<long> Culls { get; }

    public Histogram<double> LaunchDuration { get; }

    public Counter<double> Spend { get; }

    public Counter<long> BudgetAlerts { get; }

    public Counter<long> ProxyRequests { get; }
}
