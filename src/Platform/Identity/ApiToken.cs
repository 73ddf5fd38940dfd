namespace DevPlatform.Identity;

/// <summary>
/// One token in the platform's single token store: a personal API token (named, shown once, scoped, expiring)
/// or one of the hub protocol's tokens (an environment's own token, a browser user's OAuth access token, a
/// one-time authorization code). Only the SHA-256 of the secret is kept; revoking deletes the row.
/// </summary>
internal sealed class ApiToken
{
    public long Id { get; set; }

    public ApiTokenKind Kind { get; set; }

    public long UserId { get; set; }

    /// <summary>Set for personal tokens, unique per user; hub tokens have none.</summary>
    public string? Name { get; set; }

    /// <summary>What a JupyterHub-style token is for (its <c>note</c>); personal tokens have a name instead.</summary>
    public string? Note { get; set; }

    public required string Hash { get; set; }

    /// <summary>The first characters of the token, so people can tell their tokens apart.</summary>
    public required string Prefix { get; set; }

    public List<string> Scopes { get; set; } = [];

    /// <summary>The environment a hub token belongs to (it dies with it); null for personal tokens.</summary>
    public Guid? EnvironmentId { get; set; }

    /// <summary>The shared service an OAuth code or token was issued to (its client), when it was one.</summary>
    public Guid? ServiceId { get; set; }

    /// <summary>The browser session an OAuth token or code was issued in.</summary>
    public string? SessionId { get; set; }

    /// <summary>
    /// The token this one was created with (through <c>/hub/api/users/{name}/tokens</c> by a token-holding caller): it
    /// never outlives it and is revoked with it. Null for tokens created by a person or the operator.
    /// </summary>
    public long? ParentId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Always set for personal tokens; an environment's own token lives as long as its environment.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
}
