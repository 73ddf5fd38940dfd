using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DevPlatform.Hosting;

/// <summary>
/// Says every <c>Jobs:CheckinSeconds</c> that this host is alive (table <c>hosts</c>), and leaves the table when it
/// stops. Other hosts read it to tell an environment another live host is starting from one whose host is gone.
/// </summary>
internal sealed class HostHeartbeat(HostNode node, IServiceScopeFactory scopes, IOptions<Jobs.JobsOptions> options, TimeProvider time, ILogger<HostHeartbeat> logger)
    : BackgroundService
{
    /// <summary>A host silent for this many check-in intervals is taken to be gone.</summary>
    public const int MissedCheckins = 3;

    public static async Task<IReadOnlySet<string>> LiveAsync(PlatformDbContext db, TimeSpan checkin, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = now - (checkin * MissedCheckins);
        return (await db.Hosts.AsNoTracking().Where(h => h.LastSeenAt >= since).Select(h => h.Node).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = time.GetUtcNow();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.CheckinSeconds), time);
        try
        {
            do
            {
                await BeatAsync(started, stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private async Task BeatAsync(DateTimeOffset started, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
            var now = time.GetUtcNow();
            if (await db.Hosts.Where(h => h.Node == node.NodeId).ExecuteUpdateAsync(s => s.SetProperty(h => h.LastSeenAt, now), cancellationToken) == 0)
            {
                db.Hosts.Add(new HostRecord { Node = node.NodeId, StartedAt = started, LastSeenAt = now });
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Any fault (PostgreSQL down, EF's "transient failure" InvalidOperationException, a timeout) is the database's:
            // the host keeps serving and the next beat tries again; /readyz says the database does not answer meanwhile.
            logger.LogWarning("Could not record that host {Node} is alive ({Message}); trying again", node.NodeId, e.Message);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<PlatformDbContext>().Hosts.Where(h => h.Node == node.NodeId).ExecuteDeleteAsync(cancellationToken);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or ObjectDisposedException)
        {
            // the database is gone, or the host is already torn down: the row ages out after three missed check-ins
            logger.LogInformation("Host {Node} left the hosts table to age out ({Message})", node.NodeId, e.Message);
        }
    }
}
