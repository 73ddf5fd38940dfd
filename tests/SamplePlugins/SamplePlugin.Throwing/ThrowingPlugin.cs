using DevPlatform.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SamplePlugin.Throwing;

/// <summary>Registers a service, then throws: the host must keep neither.</summary>
public sealed class ThrowingPlugin : IPlatformPlugin
{
    public PluginManifest Manifest { get; } = new("sample.throwing", "1.0.0", PluginContract.Version, "Sample: fails while configuring.");

    public void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IStorageProvider, HalfRegistered>();
        throw new InvalidOperationException("the sample licence server is unreachable");
    }

    private sealed class HalfRegistered : IStorageProvider
    {
        public string Name => "half-registered";

        public string DisplayName => "Should never be visible";

        public string Ensure(StorageArea area) => throw new NotSupportedException();

        public Task<StorageScan> ScanAsync(StorageArea area, TimeSpan budget, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<StorageCleanup> CleanAsync(StorageArea area, DateTimeOffset olderThan, bool dryRun, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
