using DevPlatform.Abstractions;
using DevPlatform.Persistence;
using DevPlatform.Strategies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DevPlatform.Access;

/// <summary>
/// Who may use SFTP: enabled users with at least one SSH key, each chrooted into their home. Feeds the configured
/// provider (a full reconcile on schedule, one user at a time after a key or account change).
/// </summary>
internal sealed class SftpAccounts(PlatformDbContext db, IOptions<SftpOptions> options, NamedStrategies<ISftpProvider> providers, ILogger<SftpAccounts> logger)
{
    public ISftpProvider? Provider => providers.Find(options.Value.Provider);

    /// <summary>The accounts that should exist (all, or only those of <paramref name="only"/>).</summary>
    public async Task<List<SftpAccount>> ListAsync(IReadOnlyCollection<string>? only, CancellationToken cancellationToken)
    {
        var keys = await db.SshKeys.AsNoTracking()
            .Where(k => !k.User.Disabled && (only == null || only.Contains(k.User.Name)))
            .OrderBy(k => k.User.Name).ThenBy(k => k.CreatedAt).ThenBy(k => k.Id)
            .Select(k => new { User = k.User.Name, k.Type, k.Blob, k.Name })
            .ToListAsync(cancellationToken);
        return keys.GroupBy(k => k.User, StringComparer.Ordinal)
            .Select(g => new SftpAccount(g.Key, StorageArea.Home(g.Key).RelativePath, options.Value.Uid, options.Value.Gid,
                g.Select(k => $"{k.Type} {k.Blob} {k.Name}").ToList()))
            .ToList();
    }

    /// <summary>The full reconcile the <c>sftp-sync</c> job runs.</summary>
    public async Task<string> SyncAllAsync(CancellationToken cancellationToken)
    {
        if (Provider is not { } provider)
        {
            return "SFTP is off (Sftp:Provider is empty); nothing to do.";
        }

        var accounts = await ListAsync(null, cancellationToken);
        var result = await provider.SyncAsync(accounts, null, cancellationToken);
        return provider.AsksTheHub
            ? $"{provider.DisplayName}: {accounts.Count} account(s); the server asks the hub at each login and its helper syncs itself."
            : $"{provider.DisplayName}: {result}.";
    }

    /// <summary>
    /// Brings one user's account in step right after a change. A provider that fails is logged, not thrown: the change
    /// is stored, and the next <c>sftp-sync</c> run repairs the account.
    /// </summary>
    public async Task SyncUserAsync(string user, CancellationToken cancellationToken)
    {
        if (Provider is not { } provider)
        {
            return;
        }

        try
        {
            await provider.SyncAsync(await ListAsync([user], cancellationToken), [user], cancellationToken);
        }
        catch (SftpProviderException e)
        {
            logger.LogWarning("SFTP account of {User} not updated now ({Reason}); the sftp-sync job will retry.", user, e.Message);
        }
    }
}
