using DevPlatform.Persistence;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DevPlatform.Proxy;

/// <summary>
/// Keeps this host's routes equal to the database's running environments whichever host started or stopped them: it
/// LISTENs on <c>devplatform_routes</c> (a trigger on <c>environments</c> NOTIFYs the id at each commit that changes a
/// state or endpoint) and reloads that environment's route; it reloads all routes when it (re)connects — after LISTEN,
/// so nothing falls between — and every <c>Proxy:RouteRefreshSeconds</c>. A lost connection is retried with back-off
/// (1 s doubling to 30 s) and followed by a full reload. The first full load happens before the host serves. The same
/// notifications tell <see cref="Environments.EnvironmentLifecycle"/> when another host stopped or took over a start running here.
/// </summary>
internal sealed class RouteSync(ProxyRouteTable routes, Environments.EnvironmentLifecycle lifecycle, IConfiguration configuration, IOptions<ProxyOptions> options, ILogger<RouteSync> logger)
    : BackgroundService
{
    public const string Channel = "devplatform_routes";

    /// <summary>Before the host serves: every running environment's route, so a fresh replica routes from its first request.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await ReloadAllAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = new Hosting.Backoff();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(backoff.Reset, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException or TimeoutException)
            {
                logger.LogWarning("Route updates from the database stopped ({Reason}); reconnecting in {Delay} s", e.Message, backoff.Current.TotalSeconds);
                await backoff.WaitAsync(TimeProvider.System, stoppingToken);
            }
        }
    }

    private async Task ListenAsync(Action connected, CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(PersistenceExtensions.ConnectionString(configuration));
        await connection.OpenAsync(stoppingToken);
        var changed = new List<Guid>();
        connection.Notification += (_, e) =>
        {
            if (Guid.TryParse(e.Payload, out var id))
            {
                changed.Add(id); // raised inside WaitAsync, on this loop's thread
            }
        };
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        await ReloadAllAsync(stoppingToken);
        connected();
        var refresh = TimeSpan.FromSeconds(Math.Max(1, options.Value.RouteRefreshSeconds));
        var nextReload = DateTime.UtcNow + refresh;
        while (true)
        {
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                wait.CancelAfter(nextReload - DateTime.UtcNow is { Ticks: > 0 } left ? left : TimeSpan.Zero);
                try
                {
                    await connection.WaitAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // time for the periodic reload
                }
            }

            if (changed.Count > 0)
            {
                var ids = changed.Distinct().ToList();
                changed.Clear();
                await ReloadAsync(ids, stoppingToken);
                await lifecycle.NoticeChangesAsync(ids, stoppingToken); // a start here lets go of one another host stopped or took over
            }

            if (DateTime.UtcNow >= nextReload)
            {
                await ReloadAllAsync(stoppingToken);
                nextReload = DateTime.UtcNow + refresh;
            }
        }
    }

    private async Task ReloadAsync(List<Guid> ids, CancellationToken cancellationToken)
    {
        var running = await RunningAsync(ids.ToArray(), cancellationToken);
        foreach (var id in ids)
        {
            if (running.FirstOrDefault(r => r.EnvironmentId == id) is { } route)
            {
                routes.Set(route);
            }
            else
            {
                routes.Remove(id);
            }
        }
    }

    private async Task ReloadAllAsync(CancellationToken cancellationToken) => routes.Replace(await RunningAsync(null, cancellationToken));

    /// <summary>One statement for one, some or all (<paramref name="ids"/> null) running environments' routes.</summary>
    private async Task<List<ProxyRoute>> RunningAsync(Guid[]? ids, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(PersistenceExtensions.ConnectionString(configuration));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT e.id, u.name, e.name, e.endpoint, coalesce((e.spec ->> 'stripPrefix')::boolean, false)
            FROM environments e JOIN users u ON u.id = e.user_id
            WHERE e.state = 'Running' AND e.endpoint IS NOT NULL AND ($1::uuid[] IS NULL OR e.id = ANY($1))
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<Guid[]?> { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Uuid, TypedValue = ids });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new List<ProxyRoute>();
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(new ProxyRoute(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), new Uri(reader.GetString(3)), reader.GetBoolean(4)));
        }

        return found;
    }
}
