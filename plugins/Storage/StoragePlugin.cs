using DevPlatform.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace DevPlatform.Plugins.Storage;

/// <summary>Where homes and shared folders live.</summary>
public sealed class StoragePlugin : IPlatformPlugin
{
    public PluginManifest Manifest { get; } = new(
        "devplatform.storage", "1.0.0", PluginContract.Version, "Storage for homes and group folders: local disk, Amazon EFS.");

    public void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStorageProvider, LocalDiskStorage>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStorageProvider, EfsStorage>());
    }
}
