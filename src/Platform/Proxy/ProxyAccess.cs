using DevPlatform.Api;
using DevPlatform.Hub;
using DevPlatform.Identity;
using DevPlatform.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Proxy;

/// <summary>
/// Who is calling through the proxy: a signed-in session, a personal token (its owner, admin only with the 'admin'
/// scope of an admin, its scopes honoured), the operator's admin token, or a hub token — an environment's own or an
/// OAuth token — which opens only the environment it was issued for.
/// </summary>
internal static class ProxyAccess
{
    /// <remarks>The database is only reached for a token: a session needs none.</remarks>
    /// <summary>Requests for environments and shared services, whose callers this class finds.</summary>
    public static bool IsProxied(HttpRequest request) => request.Path.StartsWithSegments("/user") || request.Path.StartsWithSegments("/services");

    public static async Task<ProxyCaller?> CallerAsync(HttpContext context)
    {
        if (context.RequestServices.GetRequiredService<EnvironmentHosts>().UserOf(context.Request.Host) is not null)
        {
            if (await EnvironmentSignIn.CallerAsync(context) is { } signedIn)
            {
                return signedIn; // subdomain mode: the environment host's own cookie; the hub's session never comes here
            }
        }
        else if (await SessionAsync(context) is { Succeeded: true } session)
        {
            return new ProxyCaller(session.Principal!.Identity!.Name!, session.Principal.IsInRole(TokenAuthenticationHandler.AdminRole));
        }

        if ((AuthorizationHeader.Credential(context.Request) ?? AuthorizationHeader.QueryToken(context.Request)) is not { } value)
        {
            return null;
        }

        if (!value.StartsWith(ApiTokenService.Prefix, StringComparison.Ordinal) && await HubTokenCallerAsync(context, value) is { } hub)
        {
            return hub;
        }

        // A personal token or the operator's token; the handler audits a refusal.
        var bearer = await context.AuthenticateAsync(TokenAuthenticationHandler.SchemeName);
        if (!bearer.Succeeded)
        {
            return null;
        }

        var principal = bearer.Principal!;
        var personal = principal.HasClaim(c => c.Type == TokenAuthenticationHandler.ApiTokenClaim);
        var scopes = principal.FindAll(ApiTokenScopes.ClaimType).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var readOnly = personal && !scopes.Contains(ApiTokenScopes.Environments) && !scopes.Contains(ApiTokenScopes.Admin);
        return new ProxyCaller(principal.Identity!.Name!, principal.IsInRole(TokenAuthenticationHandler.AdminRole), ReadOnly: readOnly);
    }

    /// <summary>
    /// The session's result: the authentication middleware's when it already read the session (for proxied paths the
    /// default scheme is the session), so a request's cookie is decrypted and checked once.
    /// </summary>
    private static async Task<AuthenticateResult> SessionAsync(HttpContext context) =>
        context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult is { Ticket.AuthenticationScheme: SessionDefaults.Scheme } read
            ? read
            : await context.AuthenticateAsync(SessionDefaults.Scheme);

    private static async Task<ProxyCaller?> HubTokenCallerAsync(HttpContext context, string value)
    {
        var tokens = context.RequestServices.GetRequiredService<HubTokenService>();
        var token = await tokens.FindAsync(value, ApiTokenKind.OAuth, context.RequestAborted) ?? await tokens.FindAsync(value, ApiTokenKind.Server, context.RequestAborted);
        if (token is null || token.ServiceId is not null || token.EnvironmentId is null)
        {
            return null; // a token a shared service got for a user reads who they are; it opens nothing
        }

        var db = context.RequestServices.GetRequiredService<PlatformDbContext>();
        var name = await db.Users.AsNoTracking().Where(u => u.Id == token.UserId && !u.Disabled).Select(u => u.Name).FirstOrDefaultAsync(context.RequestAborted);
        return name is null ? null : new ProxyCaller(name, Admin: false, Environment: token.EnvironmentId, Credential: value);
    }
}
