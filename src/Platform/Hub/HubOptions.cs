namespace DevPlatform.Hub;

/// <summary>Configuration section <c>Hub</c>.</summary>
internal sealed class HubOptions
{
    public const string Section = "Hub";

    /// <summary>
    /// The hub API URL environments call (<c>JUPYTERHUB_API_URL</c>). Default: the host's first http
    /// listen address + <c>/hub/api</c>, which suits the local backend; on Kubernetes, the in-cluster Service URL.
    /// </summary>
    public string? ApiUrl { get; set; }

    /// <summary>
    /// The environment that JupyterHub's REST API calls the user's default server (<c>""</c>, <c>/users/{name}/server</c>).
    /// Every other environment is a named server of the same name.
    /// </summary>
    public string DefaultServerName { get; set; } = "default";

    /// <summary>The profile a JupyterHub-style start uses when its options name none; unset: the first the user may launch.</summary>
    public string? DefaultProfile { get; set; }

    /// <summary>How long a JupyterHub-style start or stop waits before answering 202 instead of 201/204 (JupyterHub's slow_spawn_timeout).</summary>
    public int SlowSeconds { get; set; } = 10;
}
