using DevPlatform.Persistence;
using Microsoft.Extensions.Options;
using Prometheus;

namespace DevPlatform.Metrics;

internal static class MetricsExtensions
{
    public static IHostApplicationBuilder AddMetrics(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<MetricsOptions>(builder.Configuration.GetSection(MetricsOptions.Section));
        builder.Services.Configure<AlertRulesOptions>(builder.Configuration.GetSection(AlertRulesOptions.Section));
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<PlatformCensus>();
        builder.Services.AddSingleton<PlatformMetrics>();
        builder.Services.AddSingleton(s => new PrometheusExport(s.GetRequiredService<PlatformMetrics>()));
        return builder;
    }

    /// <summary>The rendered Prometheus rules for admins: <c>?format=rules</c> (default) or <c>prometheusrule</c>, as YAML.</summary>
    public static RouteGroupBuilder MapAlertRulesApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/metrics/rules", (IOptions<AlertRulesOptions> options, string? format) => format switch
        {
            null or "rules" => Results.Text(Kubernetes.Cluster.ClusterManifests.ToYaml([AlertRules.File(options.Value)]), "application/yaml"),
            "prometheusrule" => Results.Text(Kubernetes.Cluster.ClusterManifests.ToYaml([AlertRules.PrometheusRule(options.Value)]), "application/yaml"),
            _ => Results.Problem(statusCode: 400, title: "Unknown format.", detail: $"format must be 'rules' or 'prometheusrule'; got '{format}'."),
        }).WithName("RenderAlertRules").WithTags("Metrics")
            .WithSummary("Prometheus recording and alerting rules for environments and budgets: a rules file, or a PrometheusRule object (format=prometheusrule).");
        return admin;
    }

    /// <summary>
    /// <c>GET /metrics</c> for Prometheus, with <c>Authorization: Bearer {Metrics:Token}</c>: the token checked and the
    /// census taken here, then prometheus-net's exporter writes the registry (text, or OpenMetrics when asked for).
    /// </summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        var export = app.ServiceProvider.GetRequiredService<PrometheusExport>(); // listening from start-up: what happens before the first scrape counts
        var pipeline = app.CreateApplicationBuilder()
            .Use(async (http, next) =>
            {
                var options = http.RequestServices.GetRequiredService<IOptions<MetricsOptions>>().Value;
                if (string.IsNullOrEmpty(options.Token))
                {
                    await Results.Problem(statusCode: 404, title: "Metrics are off.", detail: "Set Metrics:Token and configure Prometheus to send it as a bearer token (docs/metrics.md).").ExecuteAsync(http);
                    return;
                }

                if (!Api.BearerSecret.Matches(http.Request, options.Token))
                {
                    await Api.BearerSecret.Refused(http.Response, "Send Authorization: Bearer with the Metrics:Token value.").ExecuteAsync(http);
                    return;
                }

                await http.RequestServices.GetRequiredService<PlatformCensus>().TakeAsync(http.RequestServices.GetRequiredService<PlatformDbContext>(), http.RequestAborted);
                await next(http);
            })
            .UseMetricServer(settings => settings.Registry = export.Registry, url: null)
            .Build();
        app.Map("/metrics", pipeline).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
