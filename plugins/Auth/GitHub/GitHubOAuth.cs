using System.Net.Http.Headers;
using System.Text.Json;
using DevPlatform.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DevPlatform.Plugins.Auth.GitHub;

/// <summary>
/// GitHub's OAuth web flow (authorize with state and PKCE S256, code → access token at /login/oauth/access_token)
/// and the REST calls that say who the person is: /user, /user/emails, /user/orgs and /user/teams (paged by Link).
/// </summary>
internal sealed class GitHubOAuth(IOptions<GitHubOptions> options, IHttpClientFactory http, ILogger<GitHubOAuth> logger)
{
    private const int MaxPages = 10;

    public GitHubOptions Options => options.Value;

    public IEnumerable<ConfigurationError> CheckConfiguration()
    {
        if (string.IsNullOrEmpty(Options.ClientId) || string.IsNullOrEmpty(Options.ClientSecret))
        {
            yield return new("Auth:GitHub:ClientId", "and Auth:GitHub:ClientSecret are required: the OAuth app's client id and secret.");
        }

        foreach (var (key, url) in new[] { ("AuthorizeUrl", Options.AuthorizeUrl), ("TokenUrl", Options.TokenUrl), ("ApiUrl", Options.ApiUrl) })
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out _))
            {
                yield return new($"Auth:GitHub:{key}", "must be an absolute URL.");
            }
        }

        foreach (var team in Options.AllowedTeams.Concat(Options.AdminTeams))
        {
            if (team.Split('/') is not [{ Length: > 0 }, { Length: > 0 }])
            {
                yield return new("Auth:GitHub", $"team '{team}' must be written org/team-slug.");
            }
        }
    }

    public Uri AuthorizeUrl(AuthorizeRequest request) => new(QueryString.Append(Options.AuthorizeUrl, new Dictionary<string, string>
    {
        ["client_id"] = Options.ClientId!,
        ["redirect_uri"] = request.CallbackUrl.AbsoluteUri,
        ["scope"] = string.Join(' ', Options.Scopes),
        ["state"] = request.State,
        ["code_challenge"] = request.CodeChallenge,
        ["code_challenge_method"] = "S256",
        ["allow_signup"] = "false",
    }));

    public async Task<GitHubAccount> AccountAsync(AuthCallback callback, CancellationToken cancellationToken)
    {
        var token = await RedeemAsync(callback, cancellationToken);
        using var user = await GetAsync("/user", token, cancellationToken)
            ?? throw new AuthRefusedException("GitHub did not accept its own access token; start again.");
        var root = user.RootElement;
        var login = root.GetProperty("login").GetString()!;
        var email = root.TryGetProperty("email", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : await PrimaryEmailAsync(token, cancellationToken);
        var memberships = Options.NeedsMemberships ? await MembershipsAsync(token, cancellationToken) : new HashSet<string>();
        return new GitHubAccount(root.GetProperty("id").GetInt64(), login, email, token, memberships);
    }

    private async Task<string> RedeemAsync(AuthCallback callback, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Options.TokenUrl)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["client_id"] = Options.ClientId!,
                ["client_secret"] = Options.ClientSecret!,
                ["code"] = callback.Code,
                ["redirect_uri"] = callback.CallbackUrl.AbsoluteUri,
                ["code_verifier"] = callback.CodeVerifier,
            }),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await Client().SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));

        // GitHub answers 200 with {"error": "bad_verification_code", ...} when the code is bad or used.
        if (json.RootElement.TryGetProperty("error", out var error))
        {
            throw new AuthRefusedException($"GitHub refused the sign-in code ({error.GetString()}); start again.");
        }

        return json.RootElement.TryGetProperty("access_token", out var token) && token.GetString() is { Length: > 0 } value
            ? value
            : throw new AuthRefusedException("GitHub returned no access token; start again.");
    }

    private async Task<string?> PrimaryEmailAsync(string token, CancellationToken cancellationToken)
    {
        using var emails = await GetAsync("/user/emails", token, cancellationToken);
        return emails?.RootElement.EnumerateArray()
            .FirstOrDefault(e => e.GetProperty("primary").GetBoolean() && e.GetProperty("verified").GetBoolean()) is { ValueKind: JsonValueKind.Object } primary
            ? primary.GetProperty("email").GetString()
            : null;
    }

    private async Task<HashSet<string>> MembershipsAsync(string token, CancellationToken cancellationToken)
    {
        var memberships = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await foreach (var org in PagesAsync("/user/orgs?per_page=100", token, cancellationToken))
        {
            memberships.Add(org.GetProperty("login").GetString()!);
        }

        await foreach (var team in PagesAsync("/user/teams?per_page=100", token, cancellationToken))
        {
            var org = team.GetProperty("organization").GetProperty("login").GetString()!;
            memberships.Add(org);
            memberships.Add($"{org}/{team.GetProperty("slug").GetString()}");
        }

        return memberships;
    }

    private async IAsyncEnumerable<JsonElement> PagesAsync(string path, string token, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var url = Options.ApiUrl.TrimEnd('/') + path;
        for (var page = 0; page < MaxPages && url is not null; page++)
        {
            using var response = await Client().SendAsync(ApiRequest(url, token), cancellationToken);
            response.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            foreach (var item in json.RootElement.EnumerateArray())
            {
                yield return item.Clone();
            }

            // The token only ever goes back to the API it came from.
            url = NextLink(response) is { } next && next.StartsWith(Options.ApiUrl.TrimEnd('/') + "/", StringComparison.Ordinal) ? next : null;
        }
    }

    /// <summary>A REST GET; null on 401/403/404 (e.g. /user/emails without the user:email scope).</summary>
    private async Task<JsonDocument?> GetAsync(string path, string token, CancellationToken cancellationToken)
    {
        using var response = await Client().SendAsync(ApiRequest(Options.ApiUrl.TrimEnd('/') + path, token), cancellationToken);
        if ((int)response.StatusCode is 401 or 403 or 404)
        {
            logger.LogInformation("GitHub {Path} answered {Status}", path, (int)response.StatusCode);
            return null;
        }

        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private static HttpRequestMessage ApiRequest(string url, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        request.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
        return request;
    }

    /// <summary>RFC 8288 <c>Link: &lt;url&gt;; rel="next"</c>.</summary>
    private static string? NextLink(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Link", out var values)
            ? values.SelectMany(v => v.Split(','))
                .Select(part => part.Split(';', StringSplitOptions.TrimEntries))
                .Where(parts => parts.Length > 1 && parts.Skip(1).Any(p => p == "rel=\"next\""))
                .Select(parts => parts[0].Trim('<', '>'))
                .FirstOrDefault()
            : null;

    private HttpClient Client()
    {
        var client = http.CreateClient(nameof(GitHubOAuth));
        client.DefaultRequestHeaders.UserAgent.ParseAdd("DevPlatform/1.0");
        return client;
    }
}
