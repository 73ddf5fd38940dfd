using DevPlatform.Abstractions;
using DevPlatform.Plugins.Access.Dns;
using DevPlatform.Plugins.Access.Sftp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DevPlatform.Plugins.Access;

/// <summary>How users and browsers reach the platform: SFTP to homes, and the DNS records of the hub and SFTP hosts.</summary>
public sealed class AccessPlugin : IPlatformPlugin
{
    public PluginManifest Manifest { get; } = new(
        "devplatform.access", "1.0.0", PluginContract.Version, "SFTP (OpenSSH, AWS Transfer Family) and DNS records (RFC 2136 with TSIG, Route 53).");

    public void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISftpProvider, OpenSshSftp>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISftpProvider, TransferFamilySftp>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDnsProvider, Rfc2136Dns>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDnsProvider, Route53Dns>());
    }
}
