using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DevPlatform.Environments;

/// <summary>
/// With <c>Environments:StopOnShutdown</c> (the AppHost's default), environments this host runs are stopped, through the
/// normal stop, when the host shuts down, so Ctrl+C leaves no workloads behind. Off in production, where a restart
/// re-attaches running environments instead.
/// </summary>
internal sealed class StopOnShutdown(
    IServiceScopeFactory scopes, EnvironmentLifecycle lifecycle, Hosting.HostNode node, IOptions<EnvironmentOptions> options, ILogger<StopOnShutdown> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.StopOnShutdown)
        {
            return;
        }

        List<Guid> running;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
            running = await db.Environments.Where(e => e.Host == node.NodeId && e.State != EnvironmentState.Stopped && e.State != EnvironmentState.Failed)
                .Select(e => e.Id).ToListAsync(cancellationToken);
        }

        if (running.Count == 0)
        {
            return;
        }

        logger.LogInformation("Stopping {Count} environment(s) before shutting down (Environments:StopOnShutdown)", running.Count);
        await Task.WhenAll(running.Select(async id =>
        {
            try
            {
                await lifecycle.StopAsync(id, "The platform shut down", cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Environment {Id} did not stop cleanly at shutdown: {Message}", id, e.Message);
            }
        }));
    }
}
