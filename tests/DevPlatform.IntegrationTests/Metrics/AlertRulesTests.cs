using System.Text.Json.Nodes;
using DevPlatform.IntegrationTests.Fixtures;
using DevPlatform.IntegrationTests.Kubernetes;

namespace DevPlatform.IntegrationTests.Metrics;

/// <summary>
/// The rendered Prometheus rules pass promtool's checks and its unit tests (Assets/alert_rules_test.yml: every alert
/// fires when it should and stays quiet otherwise); the PrometheusRule object is valid against the Operator's CRD.
/// </summary>
public sealed class AlertRulesTests : AdminApiTest
{
    [Fact]
    public async Task RulesFile_PassesPromtoolCheckAndUnitTests()
    {
        var folder = Directory.CreateTempSubdirectory("devplatform-rules-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "rules.yml"), await Admin.GetStringAsync(new Uri("/api/metrics/rules", UriKind.Relative)));
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Assets", "alert_rules_test.yml"), Path.Combine(folder.FullName, "alert_rules_test.yml"));
            var check = await CommandLine.SucceedAsync("/usr/bin/promtool", ["check", "rules", "rules.yml"], workingDirectory: folder.FullName);
            Assert.Contains("SUCCESS: 12 rules found", check, StringComparison.Ordinal);
            await CommandLine.SucceedAsync("/usr/bin/promtool", ["test", "rules", "alert_rules_test.yml"], workingDirectory: folder.FullName);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task PrometheusRule_IsValidForTheOperatorsCrd_AndCarriesTheSameGroups_AndTheCommandPrintsIt()
    {
        var rule = YamlJson.Parse(await Admin.GetStringAsync(new Uri("/api/metrics/rules?format=prometheusrule", UriKind.Relative)))!.AsObject();
        KubernetesSchemas.Instance.AssertValid(rule);
        Assert.Equal("prometheus", (string?)rule["metadata"]!["labels"]!["release"]);
        var file = YamlJson.Parse(await Admin.GetStringAsync(new Uri("/api/metrics/rules", UriKind.Relative)))!;
        Assert.True(JsonNode.DeepEquals(file["groups"], rule["spec"]!["groups"]));
        Assert.Equal(
            ["EnvironmentIdle", "EnvironmentUnderutilised", "EnvironmentMemoryNearLimit", "EnvironmentOOMKilled", "GroupBudgetNearlySpent"],
            rule["spec"]!["groups"]![1]!["rules"]!.AsArray().Select(r => (string?)r!["alert"]));

        var (code, stdout, stderr) = await HostProcess.RunCommandAsync(["render", "prometheusrule"], Factory.ConnectionString, PluginFolder.With(PluginFolder.BuiltIn));
        Assert.True(code == 0, stderr);
        Assert.True(JsonNode.DeepEquals(rule, YamlJson.Parse(stdout)));
    }
}
