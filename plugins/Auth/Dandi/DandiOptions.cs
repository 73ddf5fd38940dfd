namespace DevPlatform.Plugins.Auth.Dandi;

/// <summary>
/// Configuration section <c>Auth:Dandi</c>: the DANDI archives a GitHub user must be registered with (any one).
/// Sign-in itself uses the GitHub OAuth app of <c>Auth:GitHub</c>, its admins and group rules; its allow-lists do not apply.
/// </summary>
public sealed class DandiOptions
{
    public const string Section = "Auth:Dandi";

    public List<DandiArchive> Archives { get; set; } = [];
}

/// <param name="ApiUrl">e.g. <c>https://api.dandiarchive.org</c>.</param>
/// <param name="Token">An API key of that archive allowed to search users.</param>
public sealed record DandiArchive(string ApiUrl, string Token)
{
    public DandiArchive()
        : this(string.Empty, string.Empty)
    {
    }
}
