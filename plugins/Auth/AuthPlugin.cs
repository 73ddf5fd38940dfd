using DevPlatform.Abstractions;
using DevPlatform.Plugins.Auth.Dandi;
using DevPlatform.Plugins.Auth.GitHub;
using DevPlatform.Plugins.Auth.Oidc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DevPlatform.Plugins.Auth;

/// <summary>Ways to sign in: GitHub, DANDI (GitHub + archive registration), OpenID Connect (AWS Cognito), dev login.</summary>
public sealed class AuthPlugin : IPlatformPlugin
{
    public PluginManifest Manifest { get; } = new(
        "devplatform.auth", "1.1.0", PluginContract.Version, "Sign-in providers: github, dandi, oidc (AWS Cognito or any OpenID Connect provider), dev.");

    public void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddHttpClient();
        services.Configure<GitHubOptions>(configuration.GetSection(GitHubOptions.Section));
        services.Configure<DandiOptions>(configuration.GetSection(DandiOptions.Section));
        services.Configure<OidcOptions>(configuration.GetSection(OidcOptions.Section));
        services.TryAddSingleton<GitHubOAuth>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthProvider, DevLogin>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthProvider, GitHubProvider>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthProvider, DandiProvider>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthProvider, OidcProvider>());
    }
}
