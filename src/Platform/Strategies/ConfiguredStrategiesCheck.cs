using DevPlatform.Abstractions;
using DevPlatform.Hosting;
using Microsoft.Extensions.Options;

namespace DevPlatform.Strategies;

/// <summary>Start-up stops when configuration names a storage or auth provider no loaded plugin provides, or an enabled auth provider's settings are wrong.</summary>
internal sealed class ConfiguredStrategiesCheck(
    IOptions<StrategyOptions> options,
    NamedStrategies<IStorageProvider> storage,
    NamedStrategies<IAuthProvider> auth) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var configured = options.Value;
        if (storage.Find(configured.Storage.Provider) is null)
        {
            throw new StartupException($"Storage:Provider {storage.Unknown(configured.Storage.Provider, "storage provider")}.");
        }

        foreach (var name in configured.Auth.Providers)
        {
            if (auth.Find(name) is not { } provider)
            {
                throw new StartupException($"Auth:Providers {auth.Unknown(name, "auth provider")}.");
            }

            if (provider.CheckConfiguration().ToList() is { Count: > 0 } errors)
            {
                throw new StartupException($"Auth provider '{name}' is misconfigured: {string.Join("; ", errors.Select(e => $"{e.Path} {e.Message}"))}");
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
