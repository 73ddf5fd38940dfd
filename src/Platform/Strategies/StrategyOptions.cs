namespace DevPlatform.Strategies;

/// <summary>The strategy names chosen in configuration: <c>Storage:Provider</c>, <c>Auth:Providers</c>, <c>Sftp:Provider</c>, <c>Dns:Provider</c>.</summary>
internal sealed class StrategyOptions
{
    public StorageSection Storage { get; set; } = new();

    public AuthSection Auth { get; set; } = new();

    public ProviderSection Sftp { get; set; } = new();

    public ProviderSection Dns { get; set; } = new();

    /// <summary><c>Sftp:Provider</c>, <c>Dns:Provider</c>: empty means the feature is off.</summary>
    internal sealed class ProviderSection
    {
        public string Provider { get; set; } = "";
    }

    internal sealed class StorageSection
    {
        public string Provider { get; set; } = "local-disk";
    }

    internal sealed class AuthSection
    {
        public List<string> Providers { get; set; } = [];
    }
}
