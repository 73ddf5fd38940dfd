namespace DevPlatform.Hub;

/// <summary>
/// A token the hub protocol accepts: an environment's own API token (also its OAuth client secret), or an
/// access token issued to a browser user through the OAuth flow. Only the SHA-256 of the token is kept.
/// </summary>
internal sealed class HubToken
{
    public long Id { get; set; }

    public required string Hash { get; set; }

    public HubTokenKind Kind { get; set; }

    public long UserId { get; set; }

    public Guid EnvironmentId { get; set; }

    public List<string> Scopes { get; set; } = [];

    public string? SessionId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }
}
