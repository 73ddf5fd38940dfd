using DevPlatform.Abstractions;
using Microsoft.Extensions.Configuration;

namespace DevPlatform.Plugins.Access.Sftp;

/// <summary>
/// SFTP with the operator's own OpenSSH server. Nothing is pushed: sshd asks the hub for a user's keys at every login
/// (its <c>AuthorizedKeysCommand</c> is the shipped helper), and the helper's <c>sync</c>, run as root every minute,
/// keeps the accounts (passwd and group entries), the root-owned chroot folders and the bind mounts of the homes in
/// step with the hub. Users who do not exist, are disabled, or have no keys get no account and no keys.
/// </summary>
internal sealed class OpenSshSftp(IConfiguration configuration) : ISftpProvider
{
    public string Name => "openssh";

    public bool AsksTheHub => true;

    public string DisplayName => "OpenSSH (self-hosted)";

    public Task<SftpSync> SyncAsync(IReadOnlyList<SftpAccount> accounts, IReadOnlyCollection<string>? only, CancellationToken cancellationToken) =>
        Task.FromResult(new SftpSync(0, 0, 0, only is null ? accounts.Count : accounts.Count(a => only.Contains(a.User)), []));

    public IReadOnlyDictionary<string, string> SetupFiles()
    {
        var settings = OpenSshSettings.From(configuration.GetSection("Sftp:OpenSsh"));
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [settings.ConfigFragmentPath] = SshdConfig(settings),
            [settings.CommandPath] = OpenSshHelper.Script(settings),
            [settings.SettingsPath] = OpenSshHelper.Settings(settings),
            ["/etc/systemd/system/devplatform-sftp-sync.service"] = OpenSshHelper.SyncService(settings),
            ["/etc/systemd/system/devplatform-sftp-sync.timer"] = OpenSshHelper.SyncTimer,
        };
    }

    /// <summary>
    /// Only members of the platform's group are matched: their keys come from the hub, and they get SFTP alone,
    /// chrooted into a root-owned folder whose one entry, <c>home</c>, is their home.
    /// </summary>
    internal static string SshdConfig(OpenSshSettings settings) => $"""
        # DevPlatform SFTP (rendered by `DevPlatform.Platform render sftp`). Keep this Match block after every global
        # setting (last in sshd_config, or a drop-in included at its end).
        Match Group {settings.GroupName}
            AuthorizedKeysFile none
            AuthorizedKeysCommand {settings.CommandPath} keys %u
            AuthorizedKeysCommandUser {settings.KeysCommandUser}
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            ChrootDirectory {settings.ChrootRoot}/%u
            ForceCommand internal-sftp -d /home
            AllowTcpForwarding no
            AllowAgentForwarding no
            AllowStreamLocalForwarding no
            PermitTunnel no
            PermitTTY no
            X11Forwarding no

        """;
}
