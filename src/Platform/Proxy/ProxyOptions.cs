namespace DevPlatform.Proxy;

/// <summary>Configuration section <c>Proxy</c>.</summary>
internal sealed class ProxyOptions
{
    public const string Section = "Proxy";

    /// <summary>
    /// Subdomain mode (the production default): where each user's environments are served, a URL whose host starts with
    /// <c>{user}.</c>, e.g. <c>https://{user}.envs.example.org</c> (a wildcard DNS record and certificate for it). Each
    /// user gets an origin of their own, apart from the hub's and every other user's. Unset: path mode, everything on
    /// the hub's origin. Needs <c>Auth:PublicUrl</c> (where the hub is, for the sign-in hand-off).
    /// </summary>
    public string? EnvironmentUrl { get; set; }

    /// <summary>Seconds between full reloads of the routes from the database on every host (changes arrive at once by NOTIFY; this repairs anything missed).</summary>
    public int RouteRefreshSeconds { get; set; } = 30;

    /// <summary>A proxied request, WebSocket or event stream with no traffic either way for this long is closed (a day; YARP's own default is 100 s).</summary>
    public int IdleTimeoutSeconds { get; set; } = 86400;
}
