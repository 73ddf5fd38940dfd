using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Metrics;

/// <summary>/metrics in Prometheus text format: token-protected, accepted by promtool, and scraped by a real Prometheus.</summary>
public sealed class MetricsTests : LiveHostTest
{
    private const string Token = "scrape-secret-0123456789";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Metrics:Token"] = Token };

    [Fact]
    public async Task Metrics_NeedTheToken_PassPromtool_AndAreScrapedByPrometheus()
    {
        await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "measured", profile = "web" }), HttpStatusCode.Accepted);
        await EnvironmentCatalog.WaitForStateAsync(Alice.Client, "alice", "measured", "running");
        await Alice.FollowAsync("/user/alice/measured/hello");
        await ApiAssert.OkAsync(await Admin.PostAsync(new Uri("/api/jobs/idle-culler/run", UriKind.Relative), null), HttpStatusCode.Accepted);

        using var anonymous = new HttpClient { BaseAddress = Host.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);

        using var scraper = new HttpClient { BaseAddress = Host.BaseAddress };
        scraper.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        // The idle-culler also fires on its schedule every minute: the counter agrees with the run history, whichever ran.
        var (_, text) = await Eventually.UntilAsync(
            async () => ((await Admin.GetFromJsonAsync<JsonElement>("/api/jobs/idle-culler/runs")).GetProperty("items").EnumerateArray().ToList(),
                await scraper.GetStringAsync(new Uri("/metrics", UriKind.Relative))),
            seen => seen.Item1.Any(r => r.GetProperty("trigger").GetString() != "schedule" && r.GetProperty("outcome").GetString() == "succeeded")
                && seen.Item2.Contains($"devplatform_job_runs_total{{job=\"idle-culler\",outcome=\"succeeded\"}} {seen.Item1.Count(r => r.GetProperty("outcome").GetString() == "succeeded")}\n", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "the job run asked for to be counted");
        Assert.Contains("devplatform_environments{group=\"lab\",pool=\"cpu\",profile=\"web\",state=\"running\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("devplatform_proxy_requests_total{code=\"2xx\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("devplatform_environment_launch_duration_seconds_count{pool=\"cpu\",profile=\"web\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE devplatform_environment_launch_duration_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("devplatform_environment_idle_seconds{environment=\"measured\",group=\"lab\",profile=\"web\",user=\"alice\"}", text, StringComparison.Ordinal);
        await CommandLine.SucceedAsync("/usr/bin/promtool", ["check", "metrics"], stdin: text);

        // A scraper that asks for OpenMetrics gets it (prometheus-net negotiates), with the same series.
        using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative)))
        {
            request.Headers.Accept.ParseAdd("application/openmetrics-text; version=1.0.0");
            using var open = await scraper.SendAsync(request);
            var body = await open.Content.ReadAsStringAsync();
            Assert.Equal("application/openmetrics-text", open.Content.Headers.ContentType?.MediaType);
            Assert.Contains("devplatform_job_runs_total{job=\"idle-culler\",outcome=\"succeeded\"} ", body, StringComparison.Ordinal);
            Assert.EndsWith("# EOF\n", body, StringComparison.Ordinal);
        }

        await using var prometheus = await PrometheusServer.StartAsync($$"""
            global: { scrape_interval: 1s }
            scrape_configs:
              - job_name: devplatform
                authorization: { credentials: {{Token}} }
                static_configs: [ { targets: ['{{Host.BaseAddress.Authority}}'] } ]
            """);
        var running = await Eventually.UntilAsync(() => prometheus.QueryAsync("devplatform_environments{state=\"running\"}"),
            r => r.GetArrayLength() == 1, TimeSpan.FromSeconds(30), "Prometheus to scrape the running environment");
        Assert.Equal("1", running[0].GetProperty("value")[1].GetString());
        Assert.Equal("1", (await prometheus.QueryAsync("up{job=\"devplatform\"}"))[0].GetProperty("value")[1].GetString());

        // A stopped environment leaves the gauges: no idle time is reported for it any more.
        await ApiAssert.OkAsync(await Alice.Client.PostAsync(new Uri("/api/users/alice/environments/measured/stop", UriKind.Relative), null), HttpStatusCode.Accepted);
        await EnvironmentCatalog.WaitForStateAsync(Alice.Client, "alice", "measured", "stopped");
        var after = await scraper.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.DoesNotContain("devplatform_environment_idle_seconds{", after, StringComparison.Ordinal);
        Assert.DoesNotContain("state=\"running\"", after, StringComparison.Ordinal);
        Assert.Contains("devplatform_environments{group=\"lab\",pool=\"cpu\",profile=\"web\",state=\"stopped\"} 1\n", after, StringComparison.Ordinal);
    }
}
