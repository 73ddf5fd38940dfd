using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DevPlatform.AppHost;

/// <summary>
/// On Ctrl+C/SIGTERM the orchestrator stops every resource at once, so PostgreSQL would go away while the platform is
/// still stopping environments (and the platform, run through <c>dotnet run</c>, would be killed mid-way). Registered
/// after Aspire's own services, this stops first: it sends the platform host SIGTERM and waits for it to exit (its
/// environments stopped, its state written), then lets the orchestrator stop the rest.
/// </summary>
internal sealed class PlatformFirstShutdown(int port) : IHostedService
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(60);

    public static void Register(IDistributedApplicationBuilder builder, int port) =>
        builder.Services.AddHostedService(_ => new PlatformFirstShutdown(port));

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (PortHolder.Pid(port) is { } pid && pid != Environment.ProcessId)
        {
            Console.WriteLine("Stopping the platform ...");
            await PlatformProcess.TerminateAsync(pid, Grace);
        }
    }
}
