using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace DevPlatform.Api;

/// <summary>
/// Bearer authentication with the operator's admin token (<c>Platform:AdminToken</c>), compared in
/// constant time. Accepts JupyterHub's <c>Authorization: token …</c> form too. Per-user tokens and
/// sign-in arrive with the authentication work; they plug in beside this scheme.
/// </summary>
internal sealed class AdminTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<PlatformOptions> platform) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "AdminToken";
    public const string AdminRole = "admin";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var kind = header[..space];
        if (!kind.Equals("Bearer", StringComparison.OrdinalIgnoreCase) && !kind.Equals("token", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var expected = platform.Value.AdminToken;
        if (string.IsNullOrEmpty(expected))
        {
            return Task.FromResult(AuthenticateResult.Fail("no admin token is configured on this host (set Platform__AdminToken)"));
        }

        var given = SHA256.HashData(Encoding.UTF8.GetBytes(header[(space + 1)..].Trim()));
        if (!CryptographicOperations.FixedTimeEquals(given, SHA256.HashData(Encoding.UTF8.GetBytes(expected))))
        {
            return Task.FromResult(AuthenticateResult.Fail("the token is not valid"));
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, platform.Value.AdminName), new Claim(ClaimTypes.Role, AdminRole)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
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
