using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Metrics;

/// <summary>
/// The Grafana dashboards in deploy/grafana (Grafana is not available here, so their structure is checked): a sound
/// layout and datasource variable, every platform series they name exists in /metrics or the rendered recording
/// rules, and every query is PromQL a real Prometheus accepts.
/// </summary>
public sealed partial class DashboardsTests : AdminApiTest
{
    private const string Token = "dashboards-scrape-token";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Metrics:Token"] = Token };

    [Fact]
    public async Task Dashboards_AreWellFormed_NameOnlyRealSeries_AndQueryValidPromQL()
    {
        var folder = Path.Combine(RepositoryFolder.Root, "deploy", "grafana");
        var dashboards = Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal).Select(f => (File: Path.GetFileName(f), Json: JsonDocument.Parse(File.ReadAllText(f)).RootElement)).ToList();
        Assert.Equal(["devplatform-cost.json", "devplatform-health.json", "devplatform-usage.json"], dashboards.Select(d => d.File));
        Assert.Equal(dashboards.Count, dashboards.Select(d => d.Json.GetProperty("uid").GetString()).Distinct().Count());

        var scraper = Factory.CreateClient();
        scraper.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var exported = SampleName().Matches(await scraper.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Select(m => m.Groups[1].Value);
        var recorded = RecordName().Matches(await Admin.GetStringAsync(new Uri("/api/metrics/rules", UriKind.Relative))).Select(m => m.Groups[1].Value);
        var known = exported.Concat(recorded).ToHashSet(StringComparer.Ordinal);

        await using var prometheus = await PrometheusServer.StartAsync("global: { scrape_interval: 1m }\n");
        foreach (var (file, json) in dashboards)
        {
            Assert.True(json.GetProperty("schemaVersion").GetInt32() >= 36, file);
            Assert.Contains(json.GetProperty("templating").GetProperty("list").EnumerateArray(), v => v.GetProperty("type").GetString() == "datasource");
            var panels = json.GetProperty("panels").EnumerateArray().ToList();
            Assert.Equal(panels.Count, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
            var cells = new HashSet<(int, int)>();
            foreach (var panel in panels)
            {
                var title = $"{file}: {panel.GetProperty("title").GetString()}";
                var grid = panel.GetProperty("gridPos");
                var (x, y, w, h) = (grid.GetProperty("x").GetInt32(), grid.GetProperty("y").GetInt32(), grid.GetProperty("w").GetInt32(), grid.GetProperty("h").GetInt32());
                Assert.True(x >= 0 && w > 0 && x + w <= 24 && h > 0, $"{title} does not fit the 24-column grid");
                foreach (var cell in Enumerable.Range(x, w).SelectMany(cx => Enumerable.Range(y, h).Select(cy => (cx, cy))))
                {
                    Assert.True(cells.Add(cell), $"{title} overlaps another panel");
                }

                Assert.Equal("${datasource}", panel.GetProperty("datasource").GetProperty("uid").GetString());
                foreach (var target in panel.GetProperty("targets").EnumerateArray())
                {
                    var expression = target.GetProperty("expr").GetString()!;
                    foreach (var series in PlatformSeries().Matches(expression).Select(m => m.Value).Where(s => !s.EndsWith("_bucket", StringComparison.Ordinal)))
                    {
                        Assert.True(known.Contains(series), $"{title} queries {series}, which neither /metrics nor the recording rules provide");
                    }

                    var concrete = expression.Replace("$__rate_interval", "5m", StringComparison.Ordinal).Replace("$group", ".*", StringComparison.Ordinal);
                    var answer = await prometheus.Client.GetFromJsonAsync<JsonElement>($"/api/v1/query?query={Uri.EscapeDataString(concrete)}");
                    Assert.True(answer.GetProperty("status").GetString() == "success", $"{title}: {expression}: {answer}");
                }
            }
        }
    }

    [GeneratedRegex(@"^# TYPE (\S+) ", RegexOptions.Multiline)]
    private static partial Regex SampleName();

    [GeneratedRegex(@"record: (\S+)")]
    private static partial Regex RecordName();

    [GeneratedRegex(@"\bdevplatform[_:][a-z_:]+")]
    private static partial Regex PlatformSeries();
}
