namespace DevPlatform.Identity;

/// <summary>The answer to a creation: the only time the token itself is shown.</summary>
internal sealed record CreatedApiToken(string Token, ApiTokenView Details);
