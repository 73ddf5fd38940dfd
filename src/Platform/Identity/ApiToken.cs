namespace DevPlatform.Identity;

/// <summary>A personal API token: shown once at creation, kept as its SHA-256, revoked by deleting it.</summary>
internal sealed class ApiToken
{
    public long Id { get; set; }

    public long UserId { get; set; }

    public required string Name { get; set; }

    public required string Hash { get; set; }

    /// <summary>The first characters of the token, so people can tell their tokens apart.</summary>
    public required string Prefix { get; set; }

    public List<string> Scopes { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
}
