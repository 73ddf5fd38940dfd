namespace DevPlatform.Proxy;

/// <summary><c>/user/{User}/{Environment}/</c> → <see cref="Endpoint"/>.</summary>
internal sealed record ProxyRoute(Guid EnvironmentId, string User, string Environment, Uri Endpoint, bool StripPrefix);
