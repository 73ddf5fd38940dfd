using System.Globalization;
using System.Text.Json.Nodes;

namespace DevPlatform.Metrics;

/// <summary>
/// The Prometheus rules for environments and budgets, as a plain rules file (<c>{groups: …}</c> for
/// <c>rule_files</c>) or a Prometheus Operator <c>PrometheusRule</c>. Recording rules put requested and used CPU and
/// memory per environment side by side, from kube-state-metrics (requests, limits, pod labels) and the kubelet's
/// cAdvisor (usage), joined on the pod's <c>devplatform.io/*</c> labels (kube-state-metrics must allow-list them:
/// <c>--metric-labels-allowlist=pods=[app.kubernetes.io/managed-by,devplatform.io/user,devplatform.io/environment,devplatform.io/group,devplatform.io/profile]</c>).
/// Alerts: EnvironmentIdle (the platform's own idle gauge), EnvironmentUnderutilised, EnvironmentMemoryNearLimit,
/// EnvironmentOOMKilled, GroupBudgetNearlySpent.
/// </summary>
internal static class AlertRules
{
    private const string Container = "container=\"environment\"";
    private const string Owner = "label_devplatform_io_user, label_devplatform_io_environment, label_devplatform_io_group, label_devplatform_io_profile";

    public static JsonObject File(AlertRulesOptions options) => new() { ["groups"] = Groups(options) };

    public static JsonObject PrometheusRule(AlertRulesOptions options)
    {
        var labels = new JsonObject { ["app.kubernetes.io/name"] = "devplatform" };
        foreach (var (key, value) in options.RuleLabels)
        {
            labels[key] = value;
        }

        return new JsonObject
        {
            ["apiVersion"] = "monitoring.coreos.com/v1", ["kind"] = "PrometheusRule",
            ["metadata"] = new JsonObject { ["name"] = "devplatform", ["namespace"] = options.Namespace, ["labels"] = labels },
            ["spec"] = new JsonObject { ["groups"] = Groups(options) },
        };
    }

    private static JsonArray Groups(AlertRulesOptions options) => new(
        new JsonObject
        {
            ["name"] = "devplatform.environments.usage",
            ["rules"] = new JsonArray(
                Record("devplatform:environment_cpu_requested:cores", Owned($"sum by (namespace, pod) (kube_pod_container_resource_requests{{resource=\"cpu\", {Container}}})")),
                Record("devplatform:environment_cpu_used:cores", Owned($"sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{{{Container}}}[5m]))")),
                Record("devplatform:environment_memory_requested:bytes", Owned($"sum by (namespace, pod) (kube_pod_container_resource_requests{{resource=\"memory\", {Container}}})")),
                Record("devplatform:environment_memory_limit:bytes", Owned($"sum by (namespace, pod) (kube_pod_container_resource_limits{{resource=\"memory\", {Container}}})")),
                Record("devplatform:environment_memory_used:bytes", Owned($"sum by (namespace, pod) (container_memory_working_set_bytes{{{Container}}})")),
                Record("devplatform:environment_cpu_utilisation:ratio", "devplatform:environment_cpu_used:cores / devplatform:environment_cpu_requested:cores"),
                Record("devplatform:environment_memory_utilisation:ratio", "devplatform:environment_memory_used:bytes / devplatform:environment_memory_requested:bytes")),
        },
        new JsonObject
        {
            ["name"] = "devplatform.alerts",
            ["rules"] = new JsonArray(
                Alert("EnvironmentIdle", $"devplatform_environment_idle_seconds > {options.IdleMinutes * 60}", options.IdleFor, "info",
                    "{{ $labels.user }}/{{ $labels.environment }} has been idle for {{ $value | humanizeDuration }}",
                    "No traffic or activity; the Alertmanager webhook stops it (the home is kept)."),
                Alert("EnvironmentUnderutilised", $"devplatform:environment_cpu_utilisation:ratio < {Number(options.UnderusedRatio)}", options.UnderusedFor, "info",
                    "{{ $labels.label_devplatform_io_user }}/{{ $labels.label_devplatform_io_environment }} uses {{ $value | humanizePercentage }} of the CPU it requested",
                    "Suggest a smaller size: the request holds node capacity others could use."),
                Alert("EnvironmentMemoryNearLimit", $"devplatform:environment_memory_used:bytes / devplatform:environment_memory_limit:bytes > {Number(options.MemoryNearLimitRatio)}", "10m", "warning",
                    "{{ $labels.label_devplatform_io_user }}/{{ $labels.label_devplatform_io_environment }} is at {{ $value | humanizePercentage }} of its memory limit",
                    "It will be OOM-killed if it grows further; save work or choose a larger size."),
                Alert("EnvironmentOOMKilled",
                    Owned($"max by (namespace, pod) (kube_pod_container_status_terminated_reason{{reason=\"OOMKilled\", {Container}}} or kube_pod_container_status_last_terminated_reason{{reason=\"OOMKilled\", {Container}}})") + " > 0",
                    null, "warning",
                    "{{ $labels.label_devplatform_io_user }}/{{ $labels.label_devplatform_io_environment }} was killed for running out of memory",
                    "The kernel killed it at its memory limit; a larger size gives it more."),
                Alert("GroupBudgetNearlySpent", $"devplatform_group_spend_usd / on (group) devplatform_group_budget_usd > {Number(options.BudgetNearlySpentRatio)}", null, "warning",
                    "Group {{ $labels.group }} has spent {{ $value | humanizePercentage }} of its monthly budget",
                    "At 100% new launches are refused.")),
        });

    /// <summary>An expression by namespace and pod, carrying the pod's owner labels (environments only).</summary>
    private static string Owned(string byPod) =>
        $"{byPod} * on (namespace, pod) group_left ({Owner}) max by (namespace, pod, {Owner}) (kube_pod_labels{{label_app_kubernetes_io_managed_by=\"devplatform\"}})";

    private static JsonObject Record(string name, string expression) => new() { ["record"] = name, ["expr"] = expression };

    private static JsonObject Alert(string name, string expression, string? holdFor, string severity, string summary, string description)
    {
        var rule = new JsonObject { ["alert"] = name, ["expr"] = expression };
        if (holdFor is not null)
        {
            rule["for"] = holdFor;
        }

        rule["labels"] = new JsonObject { ["severity"] = severity, ["app"] = "devplatform" };
        rule["annotations"] = new JsonObject { ["summary"] = summary, ["description"] = description };
        return rule;
    }

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
