using DevPlatform.Abstractions;
using DevPlatform.Strategies;
using Microsoft.Extensions.Options;

namespace DevPlatform.Storage;

/// <summary>The storage provider <c>Storage:Provider</c> names (checked at start-up).</summary>
internal sealed class SelectedStorage(NamedStrategies<IStorageProvider> providers, IOptions<StrategyOptions> options)
{
    public IStorageProvider Provider => providers.Find(options.Value.Storage.Provider)
        ?? throw new InvalidOperationException($"Storage:Provider '{options.Value.Storage.Provider}' is not loaded.");
}
