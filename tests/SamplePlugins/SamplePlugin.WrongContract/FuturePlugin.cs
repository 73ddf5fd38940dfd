using DevPlatform.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SamplePlugin.WrongContract;

/// <summary>Claims a contract version the host does not speak.</summary>
public sealed class FuturePlugin : IPlatformPlugin
{
    public PluginManifest Manifest { get; } = new("sample.future", "9.0.0", PluginContract.Version + 98, "Sample: built for a future host.");

    public void ConfigureServices(IServiceCollection services, IConfiguration configuration) =>
        throw new InvalidOperationException("must never be called: the contract version does not match");
}
