using System.Text.Json;

namespace DevPlatform.Hub;

/// <summary>The JUPYTERHUB_* variables, exactly as JupyterHub 3.0's Spawner.get_env sets them for a named server.</summary>
internal static class HubEnvironment
{
    public const string Version = "3.0.0";

    /// <summary>
    /// What the stored spec holds for <c>JUPYTERHUB_API_TOKEN</c>/<c>JPY_API_TOKEN</c>: the token is minted when the workload
    /// starts and filled in memory (only its SHA-256 is stored), never written into the database in the clear.
    /// </summary>
    public const string TokenPlaceholder = "{hub-api-token}";

    /// <summary>The spec with its token placeholders filled with <paramref name="token"/>.</summary>
    public static Abstractions.EnvironmentSpec WithToken(Abstractions.EnvironmentSpec spec, string token)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec with
        {
            Environment = spec.Environment.ToDictionary(v => v.Key, v => v.Value == TokenPlaceholder ? token : v.Value, StringComparer.Ordinal),
        };
    }

    public static string ClientId(string user, string environment) => $"jupyterhub-user-{user}-{environment}";

    public static string Prefix(string user, string environment) => $"/user/{user}/{environment}/";

    public static string CallbackPath(string user, string environment) => Prefix(user, environment) + "oauth_callback";

    /// <summary>The callback the environment was started with (absolute in subdomain mode), which its OAuth requests must name.</summary>
    public static string CallbackOf(Abstractions.EnvironmentSpec spec) =>
        spec.Environment.GetValueOrDefault("JUPYTERHUB_OAUTH_CALLBACK_URL") ?? CallbackPath(spec.User, spec.Name);

    /// <summary>Scopes a caller needs (any one) to use the environment; concrete, as the 3.0 server can check them.</summary>
    public static string[] AccessScopes(string user, string environment) => [$"access:servers!server={user}/{environment}", $"access:servers!user={user}"];

    /// <param name="apiUrl">The hub API as the workload reaches it, e.g. <c>http://127.0.0.1:5080/hub/api</c>.</param>
    /// <param name="origin">Subdomain mode: the user's environment origin (the OAuth callback is absolute there) and the hub's
    /// public origin (<c>JUPYTERHUB_HOST</c>, where the browser is sent to authorize), as JupyterHub sets them with <c>subdomain_host</c>.</param>
    public static Dictionary<string, string> Variables(string user, string environment, string token, string apiUrl, (string Environment, string Hub)? origin = null)
    {
        var scopes = JsonSerializer.Serialize(AccessScopes(user, environment));
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["JUPYTERHUB_API_TOKEN"] = token,
            ["JPY_API_TOKEN"] = token,
            ["JUPYTERHUB_CLIENT_ID"] = ClientId(user, environment),
            ["JUPYTERHUB_HOST"] = origin?.Hub ?? string.Empty,
            ["JUPYTERHUB_OAUTH_CALLBACK_URL"] = origin?.Environment + CallbackPath(user, environment),
            ["JUPYTERHUB_OAUTH_ACCESS_SCOPES"] = scopes,
            ["JUPYTERHUB_OAUTH_SCOPES"] = scopes,
            ["JUPYTERHUB_OAUTH_CLIENT_ALLOWED_SCOPES"] = "[]",
            ["JUPYTERHUB_USER"] = user,
            ["JUPYTERHUB_SERVER_NAME"] = environment,
            ["JUPYTERHUB_API_URL"] = apiUrl,
            ["JUPYTERHUB_ACTIVITY_URL"] = $"{apiUrl}/users/{user}/activity",
            ["JUPYTERHUB_BASE_URL"] = "/",
            ["JUPYTERHUB_SERVICE_PREFIX"] = Prefix(user, environment),
            ["JUPYTERHUB_SERVICE_URL"] = "http://{ip}:{port}" + Prefix(user, environment),
        };
    }
}
