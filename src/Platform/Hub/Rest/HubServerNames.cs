using Microsoft.Extensions.Options;

namespace DevPlatform.Hub.Rest;

/// <summary>
/// JupyterHub's server names over our environments: the default server <c>""</c> is the environment named
/// <c>Hub:DefaultServerName</c> (<c>default</c>); every other environment is the named server of its name.
/// </summary>
internal sealed class HubServerNames(IOptions<HubOptions> options)
{
    public string DefaultEnvironment => options.Value.DefaultServerName;

    public string ServerName(string environment) => environment == DefaultEnvironment ? string.Empty : environment;

    public string EnvironmentName(string server) => server.Length == 0 ? DefaultEnvironment : server;

    /// <summary>Where the environment is reached (the proxy's prefix for it).</summary>
    public static string Url(string user, string environment) => HubEnvironment.Prefix(user, environment);

    public static string ProgressUrl(string user, string server) =>
        server.Length == 0 ? $"/hub/api/users/{user}/server/progress" : $"/hub/api/users/{user}/servers/{server}/progress";

    /// <summary>How JupyterHub names a server in messages: <c>alice</c>, <c>alice:gpu1</c>.</summary>
    public static string LogName(string user, string server) => server.Length == 0 ? user : $"{user}:{server}";
}
