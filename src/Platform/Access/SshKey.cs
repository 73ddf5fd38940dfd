namespace DevPlatform.Access;

/// <summary>A user's SSH public key for SFTP: its name, the key (type, base64 blob, comment), size and fingerprint.</summary>
internal sealed class SshKey
{
    public long Id { get; set; }

    public long UserId { get; set; }

    public Tenancy.User User { get; set; } = null!;

    public required string Name { get; set; }

    public required string Type { get; set; }

    public required string Blob { get; set; }

    public string? Comment { get; set; }

    public int Bits { get; set; }

    /// <summary><c>SHA256:…</c>; one key belongs to one account.</summary>
    public required string Fingerprint { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
