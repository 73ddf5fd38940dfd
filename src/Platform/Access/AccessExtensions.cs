using DevPlatform.Abstractions;

namespace DevPlatform.Access;

internal static class AccessExtensions
{
    /// <summary>SSH keys, SFTP accounts for the configured provider, and DNS records.</summary>
    public static IHostApplicationBuilder AddAccess(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<SftpOptions>(builder.Configuration.GetSection(SftpOptions.Section));
        builder.Services.Configure<DnsOptions>(builder.Configuration.GetSection(DnsOptions.Section));
        builder.Services.AddScoped<SftpAccounts>();
        builder.Services.AddScoped<SshKeys>();
        builder.Services.AddScoped<DnsReconciler>();
        builder.Services.AddSingleton<IPlatformJob, SftpSyncJob>();
        builder.Services.AddSingleton<IPlatformJob, DnsReconcileJob>();
        return builder;
    }
}
