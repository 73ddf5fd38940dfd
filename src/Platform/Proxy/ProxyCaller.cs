namespace DevPlatform.Proxy;

/// <summary>
/// Who is calling through the proxy and what they may open: an admin opens anyone's environment, a user their own;
/// a hub token (an environment's own token, or an OAuth token issued for one environment) opens only that
/// environment; a read-only personal token only reads (no writes, no WebSockets). <see cref="Credential"/> is the
/// hub token presented, the only credential a workload may receive (it was issued for that workload).
/// </summary>
internal sealed record ProxyCaller(string Name, bool Admin, Guid? Environment = null, bool ReadOnly = false, string? Credential = null)
{
    /// <summary>Why this caller may not open the route, or null when it may.</summary>
    public string? RefusalFor(ProxyRoute route, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(request);
        if (route.User != Name && !Admin)
        {
            return $"{Name} may not open {route.User}/{route.Environment}.";
        }

        if (Environment is { } only && only != route.EnvironmentId)
        {
            return $"This token was issued for another environment; it opens only that one, not {route.User}/{route.Environment}.";
        }

        var reads = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method);
        if (ReadOnly && (!reads || request.HttpContext.WebSockets.IsWebSocketRequest))
        {
            return "This token has the 'read-only' scope: it can read through the proxy but not write or open WebSockets; use an 'environments' token.";
        }

        return null;
    }
}
