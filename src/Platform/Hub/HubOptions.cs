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
}
