using System.Collections.Concurrent;

namespace DevPlatform.Proxy;

/// <summary>The routes of running environments, kept in step with the lifecycle (added at Running, removed at Stopping).</summary>
internal sealed class ProxyRouteTable
{
    private readonly ConcurrentDictionary<(string User, string Environment), ProxyRoute> routes = new();

    public void Set(ProxyRoute route) => routes[(route.User, route.Environment)] = route;

    public void Remove(string user, string environment) => routes.TryRemove((user, environment), out _);

    public ProxyRoute? Find(string user, string environment) => routes.GetValueOrDefault((user, environment));

    public IReadOnlyCollection<ProxyRoute> All => routes.Values.ToList();
}
