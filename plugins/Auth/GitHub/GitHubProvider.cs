using DevPlatform.Abstractions;

namespace DevPlatform.Plugins.Auth.GitHub;

/// <summary>Sign in with GitHub; admitted when an allowed user, a member of an allowed organisation or team, or an admin.</summary>
internal sealed class GitHubProvider(GitHubOAuth github) : IRedirectAuthProvider
{
    public string Name => "github";

    public string DisplayName => "GitHub";

    public IEnumerable<ConfigurationError> CheckConfiguration()
    {
        var errors = github.CheckConfiguration().ToList();
        if (!github.Options.Restricted && !github.Options.AllowAllUsers)
        {
            errors.Add(new("Auth:GitHub:AllowedOrganizations", "say who may sign in (AllowedUsers, AllowedOrganizations or AllowedTeams), or set AllowAllUsers: true to admit every GitHub account."));
        }

        return errors;
    }

    public Task<Uri> AuthorizeUrlAsync(AuthorizeRequest request, CancellationToken cancellationToken) => Task.FromResult(github.AuthorizeUrl(request));

    public async Task<ExternalIdentity> CompleteAsync(AuthCallback callback, CancellationToken cancellationToken)
    {
        var account = await github.AccountAsync(callback, cancellationToken);
        var options = github.Options;
        var admitted = options.AllowAllUsers
            || GitHubIdentity.IsAdmin(options, account) == true
            || options.AllowedUsers.Contains(account.Login, StringComparer.OrdinalIgnoreCase)
            || options.AllowedOrganizations.Any(account.Memberships.Contains)
            || options.AllowedTeams.Any(account.Memberships.Contains);
        return admitted
            ? GitHubIdentity.From(options, account)
            : throw new AuthRefusedException($"The GitHub account '{account.Login}' is not a member of an organisation or team allowed on this hub.");
    }
}
