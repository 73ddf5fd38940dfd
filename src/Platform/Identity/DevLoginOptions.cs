namespace DevPlatform.Identity;

/// <summary>Configuration section <c>Auth</c> as far as the platform's side of sign-in goes (providers read their own sub-sections).</summary>
internal sealed class DevLoginOptions
{
    public const string Section = "Auth";

    public const string DevProvider = "dev";

    public List<string> Providers { get; set; } = [];

    /// <summary>Dev-login usernames made administrators when they sign in (the AppHost sets <c>admin</c>).</summary>
    public List<string> DevAdmins { get; set; } = [];

    /// <summary>A group new users join at their first sign-in, when it exists (e.g. <c>everyone</c>).</summary>
    public string? DefaultGroup { get; set; }

    /// <summary>The hub's public address (e.g. <c>https://hub.example.org</c>) for identity-provider callbacks; default: the request's.</summary>
    public string? PublicUrl { get; set; }

    public bool DevLoginEnabled => Providers.Contains(DevProvider, StringComparer.Ordinal);
}
