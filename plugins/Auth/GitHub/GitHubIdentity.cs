using DevPlatform.Abstractions;

namespace DevPlatform.Plugins.Auth.GitHub;

/// <summary>A GitHub account as the platform sees it: username, admin by list or team, groups by rules, GITHUB_* variables.</summary>
internal static class GitHubIdentity
{
    public static bool? IsAdmin(GitHubOptions options, GitHubAccount account) =>
        options.AdminUsers.Count + options.AdminTeams.Count == 0
            ? null
            : options.AdminUsers.Contains(account.Login, StringComparer.OrdinalIgnoreCase) || options.AdminTeams.Any(account.Memberships.Contains);

    public static ExternalIdentity From(GitHubOptions options, GitHubAccount account)
    {
        var rules = new GroupRules(options.GroupRules);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["GITHUB_TOKEN"] = account.AccessToken, ["GITHUB_USER"] = account.Login };
        if (account.Email is { Length: > 0 } email)
        {
            environment["GITHUB_EMAIL"] = email;
        }

        return new ExternalIdentity(
            account.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Usernames.Normalize(account.Login) ?? throw new AuthRefusedException($"The GitHub login '{account.Login}' cannot be a platform username."),
            account.Email, rules.Map(account.Memberships), rules.Targets, IsAdmin(options, account), environment);
    }
}
