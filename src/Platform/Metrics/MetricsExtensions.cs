using DevPlatform.Persistence;
using Microsoft.Extensions.Options;

namespace DevPlatform.Metrics;

internal static class MetricsExtensions
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static IHostApplicationBuilder AddMetrics(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<MetricsOptions>(builder.Configuration.GetSection(MetricsOptions.Section));
        builder.Services.Configure<AlertRulesOptions>(builder.Configuration.GetSection(AlertRulesOptions.Section));
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<PlatformCensus>();
        builder.Services.AddSingleton<PlatformMetrics>();
        builder.Services.AddSingleton(s => new PrometheusText(s.GetRequiredService<PlatformMetrics>().Meter));
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

    /// <summary><c>GET /metrics</c> for Prometheus, with <c>Authorization: Bearer {Metrics:Token}</c>.</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        _ = app.ServiceProvider.GetRequiredService<PrometheusText>(); // listening from start-up: what happens before the first scrape counts
        app.MapGet("/metrics", async (HttpContext http, IOptions<MetricsOptions> options, PlatformCensus census, PrometheusText text, PlatformDbContext db, CancellationToken ct) =>
        {
            if (string.IsNullOrEmpty(options.Value.Token))
            {
                return Results.Problem(statusCode: 404, title: "Metrics are off.", detail: "Set Metrics:Token and configure Prometheus to send it as a bearer token (docs/metrics.md).");
            }

            if (!Api.BearerSecret.Matches(http.Request, options.Value.Token))
            {
                return Api.BearerSecret.Refused(http.Response, "Send Authorization: Bearer with the Metrics:Token value.");
            }

            await census.TakeAsync(db, ct);
            return Results.Text(text.Write(), ContentType);
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
