using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DevPlatform.AppHost;

/// <summary>
/// What the terminal shows beside Aspire's own lines: every resource's output prefixed with its name (the dashboard has
/// the same, searchable), and a banner once the platform is healthy saying where everything is.
/// </summary>
internal static class ConsoleOutput
{
    public static void ForwardLogsToConsole(this IDistributedApplicationBuilder builder) =>
        builder.Services.AddHostedService<ResourceLogEcho>();

    public static void PrintBannerWhenReady(this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> platform, AppHostOptions options, PostgresCluster? cluster)
    {
        builder.Eventing.Subscribe<ResourceReadyEvent>(platform.Resource, (_, _) =>
        {
            var baseUrl = options.BaseUrl;
            var dashboard = DashboardLogin(builder.Configuration);
            Console.WriteLine($"""

                DevPlatform is ready.
                  Sign in:      {baseUrl}/hub/login   (dev login: any username; new users join 'everyone')
                  Admin:        sign in as 'admin' for the admin console ({baseUrl}/admin)
                  API:          {baseUrl}/api   (Authorization: Bearer <admin token>, or your session)
                  OpenAPI:      {baseUrl}/openapi/v1.json
                  Health:       {baseUrl}/healthz  {baseUrl}/readyz
                  Admin token:  in {Path.Combine(options.StateDirectory, "secrets.json")} ("AdminToken")
                  Database:     {(cluster is null ? "the given connection string" : $"private PostgreSQL on 127.0.0.1:{cluster.Port}, data in {cluster.DataDirectory}")}
                  Dashboard:    {dashboard ?? "off"}   (logs, traces and metrics of every resource)
                Press Ctrl+C to stop{(options.KeepEnvironments ? "; environments keep running (--keep-environments) and are re-attached at the next start" : "; running environments are stopped first (--keep-environments leaves them running)")}.

                """);
            return Task.CompletedTask;
        });
    }

    /// <summary>The dashboard's login link (its address with the browser token), or null when the dashboard is off.</summary>
    private static string? DashboardLogin(ConfigurationManager configuration)
    {
        if (configuration.GetValue<bool>("DOTNET_DASHBOARD_DISABLED") || configuration["ASPNETCORE_URLS"] is not { Length: > 0 } urls)
        {
            return null;
        }

        var url = urls.Split(';')[0].TrimEnd('/');
        return configuration["AppHost:BrowserToken"] is { Length: > 0 } token ? $"{url}/login?t={token}" : url;
    }

    /// <summary>Copies each resource's log lines to our stdout/stderr as <c>[name] line</c> while the app runs.</summary>
    private sealed class ResourceLogEcho(DistributedApplicationModel model, ResourceLoggerService logs) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
            Task.WhenAll(model.Resources.Where(r => r is ExecutableResource or ProjectResource && r.Name != "aspire-dashboard").Select(r => EchoAsync(r, stoppingToken)));

        /// <summary>The orchestrator stamps each line with its time (the dashboard shows it); the terminal does without.</summary>
        private static string WithoutTimestamp(string content) =>
            content.IndexOf(' ', StringComparison.Ordinal) is var space and > 0 &&
            DateTimeOffset.TryParse(content.AsSpan(0, space), System.Globalization.CultureInfo.InvariantCulture, out _)
                ? content[(space + 1)..]
                : content;

        private async Task EchoAsync(IResource resource, CancellationToken stoppingToken)
        {
            try
            {
                await foreach (var batch in logs.WatchAsync(resource).WithCancellation(stoppingToken))
                {
                    foreach (var line in batch)
                    {
                        (line.IsErrorMessage ? Console.Error : Console.Out).WriteLine($"[{resource.Name}] {WithoutTimestamp(line.Content)}");
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // the app is stopping
            }
        }
    }
}
