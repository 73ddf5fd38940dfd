using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DevPlatform.ServiceDefaults;

/// <summary>
/// OpenTelemetry through the hosting package: logs, traces (ASP.NET Core requests named after their route, HttpClient
/// calls, Npgsql commands, our own <c>DevPlatform</c> source) and metrics (ASP.NET Core, HttpClient, runtime, Npgsql,
/// our <c>DevPlatform</c> meter), exported over OTLP when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the
/// AppHost sets it to the Aspire dashboard; production to a collector). Unset, nothing is collected: many hosts share
/// one test process, and Prometheus reads <c>/metrics</c> without OpenTelemetry.
/// </summary>
public static class Telemetry
{
    /// <summary>Activity sources and meters of our own code; areas create theirs with this name.</summary>
    public const string SourceName = "DevPlatform";

    /// <summary>Whether traces and metrics go anywhere (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set); unset, nothing is collected.</summary>
    public static bool Exported(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    internal static void AddTelemetry(this IHostApplicationBuilder builder)
    {
        if (!Exported(builder.Configuration))
        {
            return;
        }

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName))
            .WithTracing(tracing => tracing
                .SetSampler(new WithoutLoneClientSpans())
                .AddSource(SourceName)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddNpgsql())
            .WithMetrics(metrics => metrics
                .AddMeter(SourceName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation())
            .UseOtlpExporter();
    }

    /// <summary>
    /// Every trace that starts at a request or one of our own activities, but no trace that would be a lone client call:
    /// the job store's and reconciler's polling queries and readiness probes run outside any request, several a second,
    /// and would bury the traces people look for (a launch, a sign-in) under thousands of one-span traces.
    /// </summary>
    private sealed class WithoutLoneClientSpans : Sampler
    {
        public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
            samplingParameters.ParentContext.TraceId == default && samplingParameters.Kind == System.Diagnostics.ActivityKind.Client
                ? new SamplingResult(SamplingDecision.Drop)
                : new SamplingResult(SamplingDecision.RecordAndSample);
    }

    /// <summary>Health probes and scrapes, every few seconds from the orchestrator and Prometheus: not worth a trace each.</summary>
    private static bool IsProbe(PathString path) => path == "/healthz" || path == "/readyz" || path == "/metrics";
}
