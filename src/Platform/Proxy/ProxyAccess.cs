using DevPlatform.Api;
using DevPlatform.Hub;
using DevPlatform.Identity;
using DevPlatform.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Proxy;

/// <summary>Who is calling through the proxy: a signed-in session, the operator's admin token, or a hub token in the Authorization header.</summary>
internal static class ProxyAccess
{
    /// <remarks>The database is only reached for a hub token: a session or the operator's token needs none.</remarks>
    public static async Task<(string Name, bool Admin)?> CallerAsync(HttpContext context)
    {
        var session = await context.AuthenticateAsync(SessionDefaults.Scheme);
        if (session.Succeeded)
        {
            return (session.Principal!.Identity!.Name!, session.Principal.IsInRole(TokenAuthenticationHandler.AdminRole));
        }

        var operatorToken = await context.AuthenticateAsync(TokenAuthenticationHandler.SchemeName);
        if (operatorToken.Succeeded)
        {
            return (operatorToken.Principal!.Identity!.Name!, true);
        }

        if (AuthorizationHeader.Credential(context.Request) is not { } value)
        {
            return null;
        }

        var tokens = context.RequestServices.GetRequiredService<HubTokenService>();
        var db = context.RequestServices.GetRequiredService<PlatformDbContext>();
        var token = await tokens.FindAsync(value, ApiTokenKind.OAuth, context.RequestAborted) ?? await tokens.FindAsync(value, ApiTokenKind.Server, context.RequestAborted);
        if (token is null || token.ServiceId is not null)
        {
            return null; // a token a shared service got for a user reads who they are; it opens nothing
        }

        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == token.UserId && !u.Disabled, context.RequestAborted);
        return user is null ? null : (user.Name, user.Admin);
    }
}
