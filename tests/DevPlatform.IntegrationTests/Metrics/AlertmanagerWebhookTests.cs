using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Metrics;

/// <summary>
/// The Alertmanager webhook stops the environment an EnvironmentIdle alert names — posted as Alertmanager documents
/// it, and end to end: the host's /metrics scraped by a real Prometheus evaluating the rendered rules, firing to a real
/// Alertmanager, whose webhook stops the environment.
/// </summary>
public sealed class AlertmanagerWebhookTests : LiveHostTest
{
    private const string Secret = "alertmanager-shared-secret";
    private const string MetricsToken = "scrape-secret-0123456789";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Alerts:WebhookSecret"] = Secret, ["Metrics:Token"] = MetricsToken, ["Alerts:IdleMinutes"] = "0", ["Alerts:IdleFor"] = "0s",
    };

    [Fact]
    public async Task FiringIdleAlert_StopsThatEnvironmentOnce_OthersAndWrongSecretsAreIgnored()
    {
        await LaunchAsync("quiet");
        await LaunchAsync("kept");
        using var webhook = new HttpClient { BaseAddress = Host.BaseAddress };
        var payload = Payload(Alert("firing", "EnvironmentIdle", "quiet"), Alert("resolved", "EnvironmentIdle", "kept"), Alert("firing", "EnvironmentOOMKilled", "kept"));

        webhook.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "guessed");
        var refused = await webhook.PostAsJsonAsync("/hub/alerts/alertmanager", payload);
        Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, await refused.Content.ReadAsStringAsync());
        Assert.Equal("running", await StateAsync("quiet"));

        webhook.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Secret);
        var first = await ApiAssert.OkAsync(await webhook.PostAsJsonAsync("/hub/alerts/alertmanager", payload));
        Assert.Equal(["alice/quiet"], first.GetProperty("stopped").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(2, first.GetProperty("ignored").GetArrayLength());
        Assert.Equal("stopped", await StateAsync("quiet"));
        Assert.Equal("running", await StateAsync("kept"));

        var again = await ApiAssert.OkAsync(await webhook.PostAsJsonAsync("/hub/alerts/alertmanager", payload));
        Assert.Equal(0, again.GetProperty("stopped").GetArrayLength());
        Assert.Contains(again.GetProperty("ignored").EnumerateArray(), i => i.GetString() == "alice/quiet: already stopped");
        var audit = await Admin.GetFromJsonAsync<JsonElement>("/api/audit?actor=alertmanager");
        Assert.Equal("alice/quiet", Assert.Single(audit.GetProperty("items").EnumerateArray()).GetProperty("resourceName").GetString());
    }

    [Fact]
    public async Task EndToEnd_PrometheusFiresEnvironmentIdle_AlertmanagerCallsTheWebhook_TheEnvironmentStops()
    {
        await LaunchAsync("forgotten");
        await using var alertmanager = await PrometheusServer.StartAlertmanagerAsync($$"""
            route: { receiver: devplatform, group_by: [user, environment], group_wait: 1s, group_interval: 1s, repeat_interval: 1h }
            receivers:
              - name: devplatform
                webhook_configs:
                  - url: '{{Host.BaseAddress}}hub/alerts/alertmanager'
                    http_config: { authorization: { credentials: {{Secret}} } }
            """);
        var rules = await Admin.GetStringAsync(new Uri("/api/metrics/rules", UriKind.Relative));
        await using var prometheus = await PrometheusServer.StartAsync($$"""
            global: { scrape_interval: 1s, evaluation_interval: 1s }
            rule_files: ['{folder}/rules.yml']
            alerting: { alertmanagers: [ { static_configs: [ { targets: ['{{alertmanager.Address.Authority}}'] } ] } ] }
            scrape_configs:
              - job_name: devplatform
                authorization: { credentials: {{MetricsToken}} }
                static_configs: [ { targets: ['{{Host.BaseAddress.Authority}}'] } ]
            """, new Dictionary<string, string> { ["rules.yml"] = rules });

        await Eventually.UntilAsync(() => StateAsync("forgotten"), s => s == "stopped", TimeSpan.FromSeconds(90), "the idle alert to stop the environment");
        var events = await Alice.Client.GetFromJsonAsync<JsonElement>("/api/users/alice/environments/forgotten/events");
        Assert.Contains(events.EnumerateArray(), e => e.GetProperty("message").GetString()!.StartsWith("Stopped by the EnvironmentIdle alert (alice/forgotten has been idle for", StringComparison.Ordinal));
    }

    private async Task LaunchAsync(string name)
    {
        await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name, profile = "web" }), HttpStatusCode.Accepted);
        await EnvironmentCatalog.WaitForStateAsync(Alice.Client, "alice", name, "running");
    }

    private async Task<string?> StateAsync(string name) =>
        (await Alice.Client.GetFromJsonAsync<JsonElement>($"/api/users/alice/environments/{name}")).GetProperty("state").GetString();

    /// <summary>Alertmanager's webhook body (version 4), as its documentation gives it.</summary>
    private static object Payload(params object[] alerts) => new
    {
        version = "4", groupKey = "{}:{user=\"alice\"}", truncatedAlerts = 0, status = "firing", receiver = "devplatform",
        groupLabels = new { user = "alice" }, commonLabels = new { user = "alice" }, commonAnnotations = new { }, externalURL = "http://alertmanager:9093", alerts,
    };

    private static object Alert(string status, string name, string environment) => new
    {
        status,
        labels = new Dictionary<string, string> { ["alertname"] = name, ["user"] = "alice", ["environment"] = environment, ["group"] = "lab", ["severity"] = "info" },
        annotations = new { summary = $"alice/{environment} has been idle for 3h" },
        startsAt = "2026-11-30T10:00:00Z", endsAt = "0001-01-01T00:00:00Z", generatorURL = "http://prometheus:9090/graph", fingerprint = "b3a4c2f1d0e9a8b7",
    };
}
