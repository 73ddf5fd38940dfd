namespace DevPlatform.Metrics;

/// <summary>Configuration section <c>Alerts</c>: thresholds of the rendered Prometheus rules, and the Alertmanager webhook.</summary>
internal sealed class AlertRulesOptions
{
    public const string Section = "Alerts";

    /// <summary>EnvironmentIdle fires after this long without activity (the Alertmanager webhook then stops it).</summary>
    public int IdleMinutes { get; set; } = 120;

    /// <summary>… held this long before it fires.</summary>
    public string IdleFor { get; set; } = "5m";

    /// <summary>EnvironmentUnderutilised: CPU use under this share of the request …</summary>
    public double UnderusedRatio { get; set; } = 0.2;

    /// <summary>… for this long.</summary>
    public string UnderusedFor { get; set; } = "2h";

    /// <summary>EnvironmentMemoryNearLimit: working set over this share of the memory limit for 10 minutes.</summary>
    public double MemoryNearLimitRatio { get; set; } = 0.9;

    /// <summary>GroupBudgetNearlySpent: spend over this share of the monthly budget.</summary>
    public double BudgetNearlySpentRatio { get; set; } = 0.9;

    /// <summary>Namespace and labels of the rendered PrometheusRule object (the Prometheus Operator's ruleSelector).</summary>
    public string Namespace { get; set; } = "devplatform";

    public Dictionary<string, string> RuleLabels { get; set; } = new(StringComparer.Ordinal) { ["release"] = "prometheus" };

    /// <summary>The shared secret Alertmanager sends as a bearer token to <c>/hub/alerts/alertmanager</c>; unset: the webhook is off.</summary>
    public string? WebhookSecret { get; set; }
}
