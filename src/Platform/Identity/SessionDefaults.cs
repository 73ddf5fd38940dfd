namespace DevPlatform.Identity;

internal static class SessionDefaults
{
    /// <summary>The cookie scheme of signed-in people.</summary>
    public const string Scheme = "Session";

    /// <summary>Chooses the admin token when an Authorization header is present, the session cookie otherwise.</summary>
    public const string PlatformScheme = "Platform";

    public const string CookieName = "devplatform-session";

    /// <summary>A random id per sign-in, the <c>session_id</c> the hub protocol reports.</summary>
    public const string SessionIdClaim = "sid";

    /// <summary>When the session began (Unix milliseconds): sessions older than the user's "sign out everywhere" are over.</summary>
    public const string IssuedAtClaim = "session-issued-at";

    public const string ProviderClaim = "provider";

    public const string LoginPath = "/hub/login";
}
