using DevPlatform.Abstractions;
using DevPlatform.Hosting;
using Microsoft.Extensions.Options;

namespace DevPlatform.Strategies;

/// <summary>Start-up stops when configuration names a storage, auth, SFTP or DNS provider no loaded plugin provides, or an enabled auth provider's or the DNS settings are wrong.</summary>
internal sealed class ConfiguredStrategiesCheck(
    IOptions<StrategyOptions> options,
    NamedStrategies<IStorageProvider> storage,
    NamedStrategies<IAuthProvider> auth,
    NamedStrategies<ISftpProvider> sftp,
    NamedStrategies<IDnsProvider> dns,
    IOptions<Access.DnsOptions> dnsOptions,
    IOptions<Access.SftpOptions> sftpOptions) : IHostedService
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

        if (configured.Sftp.Provider.Length > 0)
        {
            var provider = sftp.Find(configured.Sftp.Provider) ?? throw new StartupException($"Sftp:Provider {sftp.Unknown(configured.Sftp.Provider, "SFTP provider")}.");
            if (provider.AsksTheHub && string.IsNullOrEmpty(sftpOptions.Value.Token))
            {
                throw new StartupException($"Sftp:Provider '{provider.Name}' needs Sftp:Token: a long random secret the SFTP server's helper sends to read keys (docs/access.md).");
            }
        }

        if (configured.Dns.Provider.Length > 0)
        {
            if (dns.Find(configured.Dns.Provider) is null)
            {
                throw new StartupException($"Dns:Provider {dns.Unknown(configured.Dns.Provider, "DNS provider")}.");
            }

            if (dnsOptions.Value.Problems().ToList() is { Count: > 0 } problems)
            {
                throw new StartupException($"DNS settings are wrong: {string.Join(" ", problems)}");
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
