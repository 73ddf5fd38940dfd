using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using DevPlatform.Identity;
using Microsoft.Extensions.Options;

namespace DevPlatform.Api;

/// <summary>
/// Bearer authentication: the operator's admin token (<c>Platform:AdminToken</c>, compared in constant
/// time) or a user's personal API token (<c>dvp_…</c>, carrying its scopes as claims). Accepts
/// JupyterHub's <c>Authorization: token …</c> form too.
/// </summary>
internal sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<PlatformOptions> platform) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "AdminToken";
    public const string AdminRole = "admin";

    /// <summary>Set on principals authenticated by a personal API token, whose scopes then apply.</summary>
    public const string ApiTokenClaim = "api-token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // ?token= only through the proxy (browser WebSockets cannot set headers); the API takes headers.
        if ((AuthorizationHeader.Credential(Request) ?? (Proxy.ProxyAccess.IsProxied(Request) ? AuthorizationHeader.QueryToken(Request) : null)) is not { } presented)
        {
            return AuthenticateResult.NoResult();
        }

        if (presented.StartsWith(ApiTokenService.Prefix, StringComparison.Ordinal))
        {
            return await AuthenticateApiTokenAsync(presented);
        }

        var expected = platform.Value.AdminToken;
        if (string.IsNullOrEmpty(expected))
        {
            return AuthenticateResult.Fail("no admin token is configured on this host (set Platform__AdminToken)");
        }

        var given = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        if (!CryptographicOperations.FixedTimeEquals(given, SHA256.HashData(Encoding.UTF8.GetBytes(expected))))
        {
            await Context.RequestServices.GetRequiredService<Audit.AccessAudit>().RecordThrottledAsync("anonymous", "token-refused", "admin-token", "-", Context);
            return AuthenticateResult.Fail("the token is not valid");
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, platform.Value.AdminName), new Claim(ClaimTypes.Role, AdminRole)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private async Task<AuthenticateResult> AuthenticateApiTokenAsync(string presented)
    {
        var resolved = await Context.RequestServices.GetRequiredService<ApiTokenService>().ResolveAsync(presented, Context.RequestAborted);
        var audit = Context.RequestServices.GetRequiredService<Audit.AccessAudit>();
        if (resolved is not { } found)
        {
            await audit.RecordThrottledAsync("anonymous", "token-refused", "api-token", presented[..Math.Min(8, presented.Length)], Context);
            return AuthenticateResult.Fail("the token is not valid, has expired or was revoked");
        }

        if (found.Recorded)
        {
            await audit.RecordAsync(found.User.Name, "token-use", "api-token", $"{found.User.Name}/{found.Name}", Context);
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, found.User.Name), new(ApiTokenClaim, "true") };
        claims.AddRange(found.Scopes.Select(scope => new Claim(ApiTokenScopes.ClaimType, scope)));
        if (found.User.Admin && found.Scopes.Contains(ApiTokenScopes.Admin))
        {
            claims.Add(new Claim(ClaimTypes.Role, AdminRole));
        }

        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 401;
        Response.Headers.WWWAuthenticate = "Bearer";
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        await Results.Problem(
            statusCode: 401, title: "Authentication required.",
            detail: failure is null ? "Send 'Authorization: Bearer <admin token>'." : $"Authentication failed: {failure}.").ExecuteAsync(Context);
    }
}
