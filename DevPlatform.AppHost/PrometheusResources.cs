using System.Net.Http.Headers;

namespace DevPlatform.AppHost;

/// <summary>
/// <c>--with prometheus</c>: Prometheus scraping the platform's <c>/metrics</c> with the metrics token and evaluating the
/// platform's own alert rules (fetched from <c>/api/metrics/rules</c> once the platform is healthy), and Alertmanager
/// sending to the platform's webhook with its secret, so a firing EnvironmentIdle alert stops that environment as in
/// production. Both keep their data under the state folder; both are Debian's binaries on loopback ports.
/// </summary>
internal static class PrometheusResources
{
    public static void AddPrometheus(this IDistributedApplicationBuilder builder, AppHostOptions options, LocalSecrets secrets, IResourceBuilder<ProjectResource> platform)
    {
        var folder = Path.Combine(options.StateDirectory, "prometheus");
        Directory.CreateDirectory(folder);
        var alertmanager = builder.AddExecutable("alertmanager", "prometheus-alertmanager", folder,
                $"--config.file={WriteAlertmanagerConfig(folder, options, secrets)}", $"--storage.path={Path.Combine(folder, "alertmanager")}", "--cluster.listen-address=")
            .WithHttpEndpoint(name: "http", isProxied: false)
            .WaitFor(platform);
        var alertmanagerHttp = alertmanager.GetEndpoint("http");
        alertmanager.WithArgs(context => context.Args.Add(Listen(alertmanagerHttp)));
        var prometheus = builder.AddExecutable("prometheus", "prometheus", folder,
                $"--storage.tsdb.path={Path.Combine(folder, "data")}", $"--config.file={Path.Combine(folder, "prometheus.yml")}", "--web.enable-lifecycle")
            .WithHttpEndpoint(name: "http", isProxied: false);
        var prometheusHttp = prometheus.GetEndpoint("http");
        prometheus.WithArgs(context => context.Args.Add(Listen(prometheusHttp)))
            .WithHttpHealthCheck("/-/ready")
            .WaitFor(platform)
            .WaitFor(alertmanager);

        builder.Eventing.Subscribe<ResourceReadyEvent>(prometheus.Resource, (_, _) =>
        {
            Console.WriteLine($"""

                Prometheus:   http://127.0.0.1:{prometheusHttp.Port}   (scrapes {options.BaseUrl}/metrics; the platform's alert rules)
                Alertmanager: http://127.0.0.1:{alertmanagerHttp.Port}   (sends to {options.BaseUrl}/hub/alerts/alertmanager)

                """);
            return Task.CompletedTask;
        });

        // The rules and the scrape configuration are written when the platform is healthy (the rules come from it) and
        // before Prometheus starts (it waits for the platform).
        builder.Eventing.Subscribe<ResourceReadyEvent>(platform.Resource, async (_, cancellationToken) =>
        {
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{options.BaseUrl}/api/metrics/rules"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secrets.AdminToken);
            using var response = await http.SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
            await File.WriteAllTextAsync(Path.Combine(folder, "rules.yml"), await response.Content.ReadAsStringAsync(cancellationToken), cancellationToken);
            LocalSecrets.WriteOwnerOnly(Path.Combine(folder, "prometheus.yml"), $"""
                global:
                  scrape_interval: 15s
                  evaluation_interval: 15s
                rule_files: [rules.yml]
                alerting:
                  alertmanagers:
                    - static_configs:
                        - targets: ["127.0.0.1:{alertmanagerHttp.Port}"]
                scrape_configs:
                  - job_name: devplatform
                    metrics_path: /metrics
                    authorization:
                      credentials: {secrets.MetricsToken}
                    static_configs:
                      - targets: ["127.0.0.1:{options.Port}"]
                """); // carries the metrics token
        });
    }

    private static ReferenceExpression Listen(EndpointReference endpoint) =>
        ReferenceExpression.Create($"--web.listen-address=127.0.0.1:{endpoint.Property(EndpointProperty.Port)}");

    private static string WriteAlertmanagerConfig(string folder, AppHostOptions options, LocalSecrets secrets)
    {
        var path = Path.Combine(folder, "alertmanager.yml");
        LocalSecrets.WriteOwnerOnly(path, $"""
            route:
              receiver: devplatform
              group_wait: 10s
              repeat_interval: 1h
            receivers:
              - name: devplatform
                webhook_configs:
                  - url: {options.BaseUrl}/hub/alerts/alertmanager
                    http_config:
                      authorization:
                        credentials: {secrets.WebhookSecret}
            """); // carries the webhook secret
        return path;
    }
}
