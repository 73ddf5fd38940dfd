using System.Net.Http.Headers;
using System.Text.Json;
using DevPlatform.Abstractions;
using DevPlatform.Plugins.Auth.GitHub;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DevPlatform.Plugins.Auth.Dandi;

/// <summary>
/// GitHub sign-in, then admitted only when registered with a DANDI archive, as dandi-hub does it: for each archive
/// <c>GET {api}/api/users/search/?username={login}</c> with <c>Authorization: token {token}</c>; admitted when a result's
/// <c>username</c> equals the login ignoring case. Admins skip the check; an HTTP error denies.
/// </summary>
internal sealed class DandiProvider(GitHubOAuth github, IOptions<DandiOptions> options, IHttpClientFactory http, ILogger<DandiProvider> logger) : IRedirectAuthProvider
{
    public string Name => "dandi";

    public string DisplayName => "GitHub (DANDI archive members)";

    public IEnumerable<ConfigurationError> CheckConfiguration()
    {
        var errors = github.CheckConfiguration().ToList();
        if (options.Value.Archives.Count == 0)
        {
            errors.Add(new("Auth:Dandi:Archives", "list at least one archive: { ApiUrl: https://api.dandiarchive.org, Token: <api key> }."));
        }

        for (var i = 0; i < options.Value.Archives.Count; i++)
        {
            var archive = options.Value.Archives[i];
            if (!Uri.TryCreate(archive.ApiUrl, UriKind.Absolute, out _) || string.IsNullOrEmpty(archive.Token))
            {
                errors.Add(new($"Auth:Dandi:Archives[{i}]", "needs ApiUrl (absolute URL) and Token."));
            }
        }

        return errors;
    }

    public Task<Uri> AuthorizeUrlAsync(AuthorizeRequest request, CancellationToken cancellationToken) => Task.FromResult(github.AuthorizeUrl(request));

    public async Task<ExternalIdentity> CompleteAsync(AuthCallback callback, CancellationToken cancellationToken)
    {
        var account = await github.AccountAsync(callback, cancellationToken);
        if (GitHubIdentity.IsAdmin(github.Options, account) != true && !await RegisteredAsync(account.Login, cancellationToken))
        {
            throw new AuthRefusedException($"The GitHub account '{account.Login}' is not registered with a DANDI archive; register at the archive, then sign in again.");
        }

        return GitHubIdentity.From(github.Options, account);
    }

    private async Task<bool> RegisteredAsync(string login, CancellationToken cancellationToken)
    {
        foreach (var archive in options.Value.Archives)
        {
            var url = $"{archive.ApiUrl.TrimEnd('/')}/api/users/search/?username={Uri.EscapeDataString(login)}";
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = new AuthenticationHeaderValue("token", archive.Token);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            try
            {
                using var response = await http.CreateClient(nameof(DandiProvider)).SendAsync(request, cancellationToken);
                response.EnsureSuccessStatusCode();
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                if (json.RootElement.EnumerateArray().Any(user => user.TryGetProperty("username", out var name) && string.Equals(name.GetString(), login, StringComparison.OrdinalIgnoreCase)))
                {
                    return true;
                }
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or InvalidOperationException or TaskCanceledException)
            {
                logger.LogWarning("DANDI registration check for {Login} at {Domain} failed ({Error}); sign-in denied", login, new Uri(archive.ApiUrl).Host, e.Message);
                return false;
            }
        }

        return false;
    }
}
