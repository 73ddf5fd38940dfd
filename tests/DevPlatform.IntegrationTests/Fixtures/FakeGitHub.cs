using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>
/// GitHub's OAuth web flow and REST endpoints as documented, on loopback: /login/oauth/authorize (the account in
/// <see cref="NextLogin"/> approves at once), /login/oauth/access_token (client secret, single-use code, redirect_uri
/// and PKCE S256 checked; errors as 200 + {"error"} like GitHub), /user, /user/emails, /user/orgs, /user/teams
/// (paged with Link headers), and a DANDI archive's /api/users/search/ (Authorization: token …).
/// </summary>
public sealed class FakeGitHub : IAsyncDisposable
{
    public const string ClientId = "Iv1.devplatformtest";
    public const string ClientSecret = "github-test-secret";
    public const string DandiToken = "dandi-api-key-0123";
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, (string Login, string Challenge, string RedirectUri)> codes = new();
    private readonly ConcurrentDictionary<string, string> tokens = new();

    private FakeGitHub(WebApplication app, Uri baseUrl)
    {
        this.app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public Dictionary<string, GitHubUser> Users { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Usernames registered with the DANDI archive.</summary>
    public List<string> DandiUsers { get; } = [];

    public bool DandiFails { get; set; }

    public string? NextLogin { get; set; }

    public sealed record GitHubUser(long Id, string Login, string? Email, string[] Orgs, (string Org, string Slug)[] Teams);

    public static async Task<FakeGitHub> StartAsync()
    {
        var port = TestPostgres.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var fake = new FakeGitHub(app, new Uri($"http://127.0.0.1:{port}"));
        fake.Map(app);
        await app.StartAsync();
        return fake;
    }

    /// <summary>The settings that point the hub's GitHub provider here.</summary>
    public Dictionary<string, string?> Settings(string provider) => new()
    {
        ["Auth:Providers:0"] = provider,
        ["Auth:GitHub:ClientId"] = ClientId,
        ["Auth:GitHub:ClientSecret"] = ClientSecret,
        ["Auth:GitHub:AuthorizeUrl"] = $"{BaseUrl}login/oauth/authorize",
        ["Auth:GitHub:TokenUrl"] = $"{BaseUrl}login/oauth/access_token",
        ["Auth:GitHub:ApiUrl"] = BaseUrl.AbsoluteUri.TrimEnd('/'),
        ["Auth:Dandi:Archives:0:ApiUrl"] = BaseUrl.AbsoluteUri.TrimEnd('/'),
        ["Auth:Dandi:Archives:0:Token"] = DandiToken,
    };

    private void Map(WebApplication web)
    {
        web.MapGet("/login/oauth/authorize", (HttpContext http) =>
        {
            var q = http.Request.Query;
            if (q["client_id"] != ClientId || q["code_challenge_method"] != "S256" || string.IsNullOrEmpty(q["code_challenge"]) || NextLogin is null)
            {
                return Results.BadRequest("bad authorize request");
            }

            var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(10));
            codes[code] = (NextLogin, q["code_challenge"]!, q["redirect_uri"]!);
            return Results.Redirect($"{q["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(q["state"]!)}");
        });

        web.MapPost("/login/oauth/access_token", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
            {
                return Results.Json(new { error = "incorrect_client_credentials" });
            }

            var verifier = form["code_verifier"].ToString();
            var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            if (!codes.TryRemove(form["code"].ToString(), out var grant) || grant.Challenge != challenge || grant.RedirectUri != form["redirect_uri"])
            {
                return Results.Json(new { error = "bad_verification_code", error_description = "The code passed is incorrect or expired." });
            }

            var token = "gho_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
            tokens[token] = grant.Login;
            return Results.Json(new { access_token = token, token_type = "bearer", scope = "read:org,read:user,user:email" });
        });

        web.MapGet("/user", (HttpContext http) => Authorized(http, u => Results.Json(new { login = u.Login, id = u.Id, email = u.Email })));
        web.MapGet("/user/emails", (HttpContext http) => Authorized(http, u => Results.Json(
            new[] { new { email = $"{u.Login.ToLowerInvariant()}@users.noreply.github.com", primary = true, verified = true } })));
        web.MapGet("/user/orgs", (HttpContext http) => Authorized(http, u => Paged(http, u.Orgs.Select(o => (object)new { login = o }).ToList())));
        web.MapGet("/user/teams", (HttpContext http) => Authorized(http, u => Paged(http, u.Teams.Select(t => (object)new { slug = t.Slug, organization = new { login = t.Org } }).ToList())));

        web.MapGet("/api/users/search/", (HttpContext http) =>
        {
            if (DandiFails)
            {
                return Results.StatusCode(503);
            }

            if (http.Request.Headers.Authorization != $"token {DandiToken}")
            {
                return Results.Json(new { detail = "Invalid token." }, statusCode: 401);
            }

            var username = http.Request.Query["username"].ToString();
            return Results.Json(DandiUsers.Where(u => u.Contains(username, StringComparison.OrdinalIgnoreCase))
                .Select(u => new { username = u, first_name = "", last_name = "", admin = false, created = "2024-01-01T00:00:00Z", status = "APPROVED" }));
        });
    }

    private IResult Authorized(HttpContext http, Func<GitHubUser, IResult> answer)
    {
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) && tokens.TryGetValue(header[7..], out var login) && http.Request.Headers.UserAgent.Count > 0
            ? answer(Users[login])
            : Results.Json(new { message = "Bad credentials" }, statusCode: 401);
    }

    /// <summary>Pages of two, whatever per_page asks, so the client must follow Link rel="next".</summary>
    private IResult Paged(HttpContext http, List<object> items)
    {
        var page = int.TryParse(http.Request.Query["page"], out var p) ? p : 1;
        if (page * 2 < items.Count)
        {
            http.Response.Headers.Link = $"<{BaseUrl.AbsoluteUri.TrimEnd('/')}{http.Request.Path}?per_page=100&page={page + 1}>; rel=\"next\"";
        }

        return Results.Json(items.Skip((page - 1) * 2).Take(2));
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
