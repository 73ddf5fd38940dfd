using Microsoft.Extensions.Configuration;

namespace DevPlatform.Plugins.Access.Sftp;

/// <summary>
/// Where things are on the SFTP host (<c>Sftp:OpenSsh</c>). Every folder on the way to the chroot root and to the
/// helper must be owned by root and not writable by group or others — sshd refuses anything else.
/// </summary>
internal sealed record OpenSshSettings(
    string HubUrl, string StorageRoot, string ChrootRoot, string CommandPath, string SettingsPath, string ConfigFragmentPath, string TokenFile,
    string PasswdFile, string GroupFile, string GroupName, long GroupId, string KeysCommandUser)
{
    public static OpenSshSettings From(IConfigurationSection section)
    {
        string Get(string key, string fallback) => section[key] is { Length: > 0 } value ? value : fallback;
        var hub = section["HubUrl"] is { Length: > 0 } url && Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"
            ? url.TrimEnd('/')
            : throw new InvalidOperationException("Sftp:OpenSsh:HubUrl must be the hub's URL as the SFTP host reaches it (e.g. https://hub.example.org).");
        return new OpenSshSettings(
            hub,
            Get("StorageRoot", "/srv/devplatform"),
            Get("ChrootRoot", "/srv/devplatform-sftp"),
            Get("CommandPath", "/usr/local/lib/devplatform/devplatform-sftp"),
            Get("SettingsPath", "/etc/devplatform/sftp.conf"),
            Get("ConfigFragmentPath", "/etc/ssh/sshd_config.d/zz-devplatform-sftp.conf"),
            Get("TokenFile", "/etc/devplatform/sftp.token"),
            Get("PasswdFile", "/var/lib/extrausers/passwd"),
            Get("GroupFile", "/var/lib/extrausers/group"),
            Get("GroupName", "devplatform-sftp"),
            long.TryParse(section["GroupId"], out var gid) ? gid : 64010,
            Get("KeysCommandUser", "nobody"));
    }
}
