using DevPlatform.Abstractions;

namespace DevPlatform.Access;

/// <summary>Repairs SFTP accounts that drifted from the platform's users and keys (every 10 minutes).</summary>
internal sealed class SftpSyncJob : IPlatformJob
{
    public string Name => "sftp-sync";

    public string Description => "Keeps the SFTP provider's accounts in step with enabled users' SSH keys; removes accounts of disabled or keyless users.";

    public TimeSpan DefaultInterval => TimeSpan.FromMinutes(10);

    public Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<SftpAccounts>().SyncAllAsync(cancellationToken);
}

/// <summary>Keeps the hub, SFTP and environment DNS records in step (every 5 minutes).</summary>
internal sealed class DnsReconcileJob : IPlatformJob
{
    public string Name => "dns-reconcile";

    public string Description => "Creates, updates and deletes the DNS records the platform owns (TXT ownership markers); leaves others alone.";

    public TimeSpan DefaultInterval => TimeSpan.FromMinutes(5);

    public async Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var reconciler = services.GetRequiredService<DnsReconciler>();
        return reconciler.Provider is { } provider
            ? $"{provider.Name} {await reconciler.ReconcileAsync(provider, cancellationToken)}."
            : "DNS management is off (Dns:Provider is empty); nothing to do.";
    }
}
