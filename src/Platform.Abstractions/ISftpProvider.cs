namespace DevPlatform.Abstractions;

/// <summary>
/// How users reach their homes over SFTP with their SSH keys (OpenSSH, AWS Transfer Family). Chosen by
/// <c>Sftp:Provider</c>. A provider keeps its own accounts in step with the platform's: a user who is enabled and has
/// at least one key has an account chrooted into their home; nobody else has one.
/// </summary>
public interface ISftpProvider : INamedStrategy
{
    string DisplayName { get; }

    /// <summary>Whether the SFTP server calls the hub's <c>/hub/sftp/…</c> endpoints (then <c>Sftp:Token</c> is required).</summary>
    bool AsksTheHub { get; }

    /// <summary>
    /// Brings the provider's accounts in step with <paramref name="accounts"/>. With <paramref name="only"/> null this is a
    /// full reconcile (accounts the provider manages that are not listed are removed); otherwise only those users are
    /// touched (a listed name without an account is removed). Accounts the platform did not create are left alone.
    /// </summary>
    Task<SftpSync> SyncAsync(IReadOnlyList<SftpAccount> accounts, IReadOnlyCollection<string>? only, CancellationToken cancellationToken);

    /// <summary>
    /// The files an operator installs where the SFTP server runs (path there → content), e.g. an sshd_config fragment
    /// and the helper it calls; empty for a managed service. Secrets are never part of them.
    /// </summary>
    IReadOnlyDictionary<string, string> SetupFiles();
}

/// <param name="User">The platform user name, which is also the SFTP login.</param>
/// <param name="Home">The home's path relative to the storage root (<see cref="StorageArea.RelativePath"/>).</param>
/// <param name="Uid">The POSIX owner the storage provider's files have (what environments run as).</param>
/// <param name="PublicKeys">OpenSSH one-line public keys (<c>type base64 comment</c>).</param>
public sealed record SftpAccount(string User, string Home, long Uid, long Gid, IReadOnlyList<string> PublicKeys);

/// <param name="Left">Accounts found that the platform does not own (left alone), by name.</param>
public sealed record SftpSync(int Created, int Updated, int Deleted, int Unchanged, IReadOnlyList<string> Left)
{
    public override string ToString() =>
        $"created {Created}, updated {Updated}, deleted {Deleted}, unchanged {Unchanged}" + (Left.Count > 0 ? $"; left alone (not ours): {string.Join(", ", Left)}" : "");
}

/// <summary>The SFTP service refused a change or could not be reached; the message says which call and why.</summary>
public sealed class SftpProviderException(string message, Exception? inner = null) : Exception(message, inner);
