namespace DevPlatform.Plugins.Auth.GitHub;

/// <summary>
/// Configuration section <c>Auth:GitHub</c>: a GitHub OAuth app (callback <c>{hub}/hub/login/github/callback</c>, and
/// <c>…/dandi/callback</c> when DANDI is on). Who may sign in: <see cref="AllowedUsers"/>, members of
/// <see cref="AllowedOrganizations"/> or <see cref="AllowedTeams"/>, or everyone with <see cref="AllowAllUsers"/>.
/// </summary>
public sealed class GitHubOptions
{
    public const string Section = "Auth:GitHub";

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public string AuthorizeUrl { get; set; } = "https://github.com/login/oauth/authorize";

    public string TokenUrl { get; set; } = "https://github.com/login/oauth/access_token";

    public string ApiUrl { get; set; } = "https://api.github.com";

    /// <summary>read:org lets /user/orgs and /user/teams show private memberships.</summary>
    public List<string> Scopes { get; set; } = ["read:user", "user:email", "read:org"];

    public List<string> AllowedUsers { get; set; } = [];

    public List<string> AllowedOrganizations { get; set; } = [];

    /// <summary><c>org/team-slug</c>.</summary>
    public List<string> AllowedTeams { get; set; } = [];

    public bool AllowAllUsers { get; set; }

    public List<string> AdminUsers { get; set; } = [];

    /// <summary><c>org/team-slug</c>; members are admins.</summary>
    public List<string> AdminTeams { get; set; } = [];

    /// <summary><c>org</c> or <c>org/team-slug</c> → platform group.</summary>
    public Dictionary<string, string> GroupRules { get; set; } = [];

    public bool Restricted => AllowedUsers.Count + AllowedOrganizations.Count + AllowedTeams.Count > 0;

    public bool NeedsMemberships => AllowedOrganizations.Count + AllowedTeams.Count + AdminTeams.Count + GroupRules.Count > 0;
}
