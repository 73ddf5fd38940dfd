namespace DevPlatform.Identity;

/// <summary>
/// Links a platform user to one account at an identity provider, so a username can never be taken over by a
/// different account that normalises to the same name. Holds the variables a profile may pass into
/// environments (GITHUB_TOKEN …), encrypted with the platform's data-protection keys.
/// </summary>
internal sealed class UserIdentity
{
    public long Id { get; set; }

    public long UserId { get; set; }

    public required string Provider { get; set; }

    public required string Subject { get; set; }

    public string? ProtectedEnvironment { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset LastLoginAt { get; set; }
}
