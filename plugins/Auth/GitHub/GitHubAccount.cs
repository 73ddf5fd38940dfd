namespace DevPlatform.Plugins.Auth.GitHub;

/// <summary>What GitHub says about the person who signed in.</summary>
/// <param name="Memberships">Organisation logins and <c>org/team-slug</c>s (empty when none were asked for).</param>
internal sealed record GitHubAccount(long Id, string Login, string? Email, string AccessToken, IReadOnlySet<string> Memberships);
