using DevPlatform.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DevPlatform.Plugins.Auth;

/// <summary>Ways to sign in.</summary>
public sealed class AuthPlugin : IPlatformPlugin
{
    public PluginManifest Manifest { get; } = new(
        "devplatform.auth", "1.0.0", PluginContract.Version, "Sign-in providers: dev login for loopback development.");

    public void ConfigureServices(IServiceCollection services, IConfiguration configuration) =>
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthProvider, DevLogin>());
}
