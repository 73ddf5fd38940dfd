using System.Collections.Concurrent;

namespace DevPlatform.Proxy;

/// <summary>
/// This host's copy of the routes of running environments. The database is the truth: the host acting on an environment
/// updates it at once, and <see cref="RouteSync"/> applies every other host's changes (NOTIFY) and a periodic full refresh.
/// </summary>
internal sealed class ProxyRouteTable
{
    private readonly ConcurrentDictionary<(string User, string Environment), ProxyRoute> routes = new();

    public void Set(ProxyRoute route) => routes[(route.User, route.Environment)] = route;

    public void Remove(string user, string environment) => routes.TryRemove((user, environment), out _);

    /// <summary>Drops the environment's route whatever it was called (a deleted or renamed row no longer says).</summary>
    public void Remove(Guid environmentId)
    {
        foreach (var (key, route) in routes)
        {
            if (route.EnvironmentId == environmentId)
            {
                routes.TryRemove(new KeyValuePair<(string, string), ProxyRoute>(key, route));
            }
        }
    }

    /// <summary>Exactly these routes from now on.</summary>
    public void Replace(IReadOnlyCollection<ProxyRoute> all)
    {
        foreach (var route in all)
        {
            Set(route);
        }

        var keep = all.Select(r => (r.User, r.Environment)).ToHashSet();
        foreach (var key in routes.Keys.Where(k => !keep.Contains(k)))
        {
            routes.TryRemove(key, out _);
        }
    }

    public ProxyRoute? Find(string user, string environment) => routes.GetValueOrDefault((user, environment));

    public IReadOnlyCollection<ProxyRoute> All => routes.Values.ToList();
}
