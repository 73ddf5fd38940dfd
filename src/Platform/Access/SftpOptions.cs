namespace DevPlatform.Access;

/// <summary>Configuration section <c>Sftp</c>: which provider serves SFTP, and what users are told to connect to.</summary>
internal sealed class SftpOptions
{
    public const string Section = "Sftp";

    /// <summary><c>openssh</c>, <c>transfer-family</c>, or empty for no SFTP.</summary>
    public string Provider { get; set; } = "";

    /// <summary>The secret the OpenSSH helper sends as a bearer token to read keys and accounts (<c>/hub/sftp/…</c>).</summary>
    public string Token { get; set; } = "";

    /// <summary>The host name users connect to (e.g. <c>sftp.example.org</c>, or the Transfer Family endpoint).</summary>
    public string Host { get; set; } = "";

    public int Port { get; set; } = 22;

    /// <summary>The POSIX owner of the homes (what environments run as: Kubernetes:RunAsUser / FsGroup).</summary>
    public long Uid { get; set; } = 1000;

    public long Gid { get; set; } = 100;
}
