namespace DevPlatform.Identity;

/// <summary>
/// One browser's trip to an identity provider and back: single use (deleted when the callback arrives),
/// bound to the browser that started it, ten minutes at most. Only the SHA-256 of state and binding are kept.
/// </summary>
internal sealed class LoginAttempt
{
    public required string StateHash { get; set; }

    public required string Provider { get; set; }

    public required string BrowserHash { get; set; }

    public required string CodeVerifier { get; set; }

    public required string Nonce { get; set; }

    public required string ReturnUrl { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}
