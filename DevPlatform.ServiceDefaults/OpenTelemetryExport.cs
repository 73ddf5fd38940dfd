using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DevPlatform.ServiceDefaults;

internal static class OpenTelemetryExport
{
    /// <summary>Activity sources and meters of our own code; areas create theirs with these names.</summary>
    public const string SourceName = "DevPlatform";

    private static readonly string[] FrameworkSources = ["Microsoft.AspNetCore", "System.Net.Http", "Npgsql"];

    private static readonly string[] FrameworkMeters =
    [
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Routing",
        "System.Net.Http", "System.Runtime", "Npgsql",
    ];

    /// <summary>
    /// Traces, metrics and logs over OTLP, on only when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
    /// is set; the exporter reads the other standard variables (protocol, headers, service name) itself.
    /// The hosting package is not in our registry, so the providers are built and disposed here.
    /// </summary>
    public static void AddOpenTelemetryExport(this IHostApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return;
        }

        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
        var resource = ResourceBuilder.CreateDefault().AddService(serviceName);

        var tracer = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(SourceName)
            .AddSource(FrameworkSources)
            .AddOtlpExporter()
            .Build();
        var meter = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(SourceName)
            .AddMeter(FrameworkMeters)
            .AddOtlpExporter()
            .Build();
        builder.Services.AddHostedService(_ => new TelemetryProviders(tracer, meter));
        builder.Logging.AddOpenTelemetry(o =>
        {
            o.SetResourceBuilder(resource);
            o.IncludeScopes = true;
            o.IncludeFormattedMessage = true;
            o.AddOtlpExporter();
        });
    }

    /// <summary>Flushes and disposes the providers when the host stops, so the last spans are not lost.</summary>
    private sealed class TelemetryProviders(TracerProvider tracer, MeterProvider meter) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            tracer.Dispose();
            meter.Dispose();
            return Task.CompletedTask;
        }
    }
}
