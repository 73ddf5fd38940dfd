using DevPlatform.Environments;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DevPlatform.Proxy;

/// <summary>Writes proxied activity every few seconds, one statement per active environment — not one write per request.</summary>
internal sealed class ActivityFlusher(ActivityTracker tracker, IServiceScopeFactory scopes, IOptions<EnvironmentOptions> options, TimeProvider time, ILogger<ActivityFlusher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.ActivityFlushSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        await FlushAsync(CancellationToken.None);
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var marks = tracker.Drain();
        if (marks.Count == 0)
        {
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
            foreach (var (id, at) in marks)
            {
                await db.Environments.Where(e => e.Id == id && (e.LastActivityAt == null || e.LastActivityAt < at))
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.LastActivityAt, at), cancellationToken);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Whatever the database's fault, the marks are kept for the next batch and the flusher keeps running.
            logger.LogWarning("Could not record activity of {Count} environment(s); it is retried with the next batch ({Message})", marks.Count, e.Message);
            foreach (var id in marks.Keys)
            {
                tracker.Mark(id);
            }
        }
    }
}
