using System.Collections.Concurrent;
using System.Net;
using System.Text;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.ServiceDefaults;

/// <summary>With the standard OTLP variable set, the host sends traces, metrics and logs to the collector.</summary>
public sealed class OpenTelemetryExportTests
{
    [Fact]
    public async Task OtlpEndpointSet_TracesMetricsAndLogsArriveAtCollector()
    {
        var port = TestPostgres.FreePort();
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        var received = new ConcurrentDictionary<string, string>();
        _ = Task.Run(async () =>
        {
            while (collector.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await collector.GetContextAsync();
                }
                catch (HttpListenerException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                var batch = $"{context.Request.ContentType} {Encoding.Latin1.GetString(body.ToArray())}";
                received.AddOrUpdate(context.Request.Url!.AbsolutePath, batch, (_, earlier) => earlier + "\n" + batch);
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });

        var database = await (await TestPostgres.SharedAsync()).CreateDatabaseAsync();
        var (host, baseUrl) = await HostProcess.StartAsync(database, PluginFolder.With(PluginFolder.BuiltIn), new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "devplatform-under-test",
        });
        using (host)
        using (HostProcess.KillOnExit(host))
        {
            using var http = new HttpClient { BaseAddress = baseUrl };
            http.DefaultRequestHeaders.Authorization = new("Bearer", PlatformFactory.AdminToken);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/api/users", UriKind.Relative))).StatusCode);
            await HostProcess.StopAsync(host); // providers flush on shutdown
        }

        Assert.True(received.ContainsKey("/v1/traces"), $"no traces; got {string.Join(", ", received.Keys)}");
        Assert.StartsWith("application/x-protobuf", received["/v1/traces"], StringComparison.Ordinal);
        Assert.Contains("devplatform-under-test", received["/v1/traces"], StringComparison.Ordinal);
        Assert.True(received["/v1/traces"].Contains("GET /api/users/", StringComparison.Ordinal), System.Text.RegularExpressions.Regex.Replace(received["/v1/traces"], "[^ -~]+", " "));
        Assert.Contains("postgresql", received["/v1/traces"], StringComparison.Ordinal); // Npgsql's command spans (db.system)
        Assert.True(received.ContainsKey("/v1/metrics"), $"no metrics; got {string.Join(", ", received.Keys)}");
        Assert.True(received.ContainsKey("/v1/logs"), $"no logs; got {string.Join(", ", received.Keys)}");
        collector.Stop();
    }
}
