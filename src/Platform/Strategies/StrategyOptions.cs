namespace DevPlatform.Strategies;

/// <summary>The strategy names chosen in configuration: <c>Storage:Provider</c> and <c>Auth:Providers</c>.</summary>
internal sealed class StrategyOptions
{
    public StorageSection Storage { get; set; } = new();

    public AuthSection Auth { get; set; } = new();

    internal sealed class StorageSection
    {
        public string Provider { get; set; } = "local-disk";
    }

    internal sealed class AuthSection
    {
        public List<string> Providers { get; set; } = [];
    }
}
