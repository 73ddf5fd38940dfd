namespace DevPlatform.Plugins.Auth.Oidc;

/// <summary>
/// Configuration section <c>Auth:Oidc</c>: AWS Cognito or any OpenID Connect provider. For Cognito the authority is
/// <c>https://cognito-idp.{region}.amazonaws.com/{userPoolId}</c>; the app client needs a secret, the
/// authorization-code grant and the callback <c>{hub}/hub/login/oidc/callback</c>.
/// </summary>
public sealed class OidcOptions
{
    public const string Section = "Auth:Oidc";

    public string DisplayName { get; set; } = "AWS Cognito";

    /// <summary>The issuer; its discovery document is <c>{Authority}/.well-known/openid-configuration</c>.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public List<string> Scopes { get; set; } = ["openid", "email", "profile"];

    /// <summary>The ID-token claim that names the user (normalised to a platform username); then preferred_username, then email.</summary>
    public string UsernameClaim { get; set; } = "cognito:username";

    public string GroupsClaim { get; set; } = "cognito:groups";

    /// <summary>When not empty, only members of one of these provider groups may sign in.</summary>
    public List<string> AllowedGroups { get; set; } = [];

    /// <summary>Members of these provider groups are admins; when empty, the provider has no say on admins.</summary>
    public List<string> AdminGroups { get; set; } = [];

    /// <summary>Provider group → platform group.</summary>
    public Dictionary<string, string> GroupRules { get; set; } = [];

    /// <summary>Off only for a provider on loopback in tests.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public int ClockSkewSeconds { get; set; } = 60;
}
