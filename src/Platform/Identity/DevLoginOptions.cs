namespace DevPlatform.Identity;

/// <summary>Configuration section <c>Auth</c> as far as sign-in sessions go.</summary>
internal sealed class DevLoginOptions
{
    public const string Section = "Auth";

    public const string DevProvider = "dev";

    public List<string> Providers { get; set; } = [];

    /// <summary>A group new users join at their first sign-in, when it exists (e.g. <c>everyone</c>).</summary>
    public string? DefaultGroup { get; set; }

    public bool DevLoginEnabled => Providers.Contains(DevProvider, StringComparer.Ordinal);
}
