using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using DevPlatform.Identity;
using DevPlatform.Persistence;
using DevPlatform.Services;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Hub;

/// <summary>
/// The hub's OAuth flow for shared services, as JupyterHub runs it for its services: client <c>service-{name}</c>,
/// callback <c>/services/{name}/oauth_callback</c>, client secret the service's <c>JUPYTERHUB_API_TOKEN</c>. Only
/// members of the service's groups (and admins) are given a code; the token then answers <c>/hub/api/user</c>.
/// </summary>
internal static class ServiceOAuth
{
    public static async Task<IResult> AuthorizeAsync(
        HttpContext context, PlatformDbContext db, HubTokenService tokens, ClaimsPrincipal caller, string name, string redirectUri, string? state, CancellationToken cancellationToken)
    {
        var service = await db.SharedServices.AsNoTracking().FirstOrDefaultAsync(s => s.Name == name, cancellationToken);
        if (service is null)
        {
            return HubApi.HubError(400, $"No OAuth client service-{name}.");
        }

        if (redirectUri != ServiceRunner.CallbackPath(name))
        {
            return HubApi.HubError(400, "redirect_uri does not match the client's registered callback.");
        }

        var user = caller.Identity!.Name!;
        var spec = ServiceStore.SpecOf(service);
        if (!caller.IsInRole(Api.TokenAuthenticationHandler.AdminRole) && !spec.AllowedGroups.Any((await ServiceAccess.GroupsOfAsync(db, user, cancellationToken)).Contains))
        {
            return HubApi.HubError(403, $"{user} is not in a group that may use '{name}'.");
        }

        var userId = await db.Users.Where(u => u.Name == user).Select(u => u.Id).FirstAsync(cancellationToken);
        var code = await tokens.IssueForServiceAsync(ApiTokenKind.Code, service.Id, userId, [$"read:users:name!user={user}", $"read:users:groups!user={user}"],
            caller.FindFirstValue(SessionDefaults.SessionIdClaim), cancellationToken);
        var separator = redirectUri.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return Results.Redirect($"{redirectUri}{separator}code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(state ?? string.Empty)}");
    }

    public static async Task<IResult> TokenAsync(IFormCollection form, HttpContext context, PlatformDbContext db, HubTokenService tokens, CancellationToken cancellationToken)
    {
        var name = form["client_id"].ToString()["service-".Length..];
        var service = await db.SharedServices.AsNoTracking().FirstOrDefaultAsync(s => s.Name == name, cancellationToken);
        var expected = service is null ? null : context.RequestServices.GetRequiredService<ServiceStore>().SecretsOf(service).GetValueOrDefault(ServiceStore.HubTokenVariable);
        if (service is null || expected is null
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(form["client_secret"].ToString()), Encoding.UTF8.GetBytes(expected)))
        {
            return Results.Json(new { error = "invalid_client" }, statusCode: 401);
        }

        if (form["grant_type"] != "authorization_code")
        {
            return Results.Json(new { error = "unsupported_grant_type" }, statusCode: 400);
        }

        var code = await tokens.RedeemCodeAsync(form["code"], cancellationToken);
        if (code is null || code.ServiceId != service.Id || form["redirect_uri"] != ServiceRunner.CallbackPath(name))
        {
            return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        }

        var accessToken = await tokens.IssueForServiceAsync(ApiTokenKind.OAuth, service.Id, code.UserId, code.Scopes, code.SessionId, cancellationToken);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        return Results.Json(new
        {
            access_token = accessToken,
            token_type = "Bearer",
            expires_in = (long)HubTokenService.AccessTokenLifetime.TotalSeconds,
            scope = string.Join(' ', code.Scopes),
        });
    }
}
