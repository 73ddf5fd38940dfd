using System.Security.Claims;
using DevPlatform.Api;
using DevPlatform.Hub.Rest;
using DevPlatform.Identity;
using DevPlatform.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Hub;

/// <summary>The hub endpoints a stock jupyterhub-singleuser 3.0 calls (see shared/design/HUB-PROTOCOL.md).</summary>
internal static class HubApi
{
    public static IEndpointRouteBuilder MapHub(this IEndpointRouteBuilder endpoints)
    {
        var hub = endpoints.MapGroup("/hub").ExcludeFromDescription()
            .AddEndpointFilter(async (context, next) =>
            {
                context.HttpContext.Response.Headers["X-JupyterHub-Version"] = HubEnvironment.Version;
                return await next(context);
            });
        hub.MapGet("/api", () => Results.Json(new { version = HubEnvironment.Version }));
        hub.MapGet("/api/oauth2/authorize", AuthorizeAsync);
        hub.MapPost("/api/oauth2/token", TokenAsync).DisableAntiforgery();
        hub.MapGroup("/api").AddEndpointFilter<HubErrors>()
            .MapHubActivity().MapHubUsers().MapHubServers().MapHubTokens().MapHubGroups().MapHubInfo();
        hub.MapGet("/home", () => Results.Redirect("/"));
        hub.MapPost("/security/csp-report", () => Results.NoContent()).DisableAntiforgery();
        return endpoints;
    }

    internal static IResult HubError(int status, string message) => Results.Json(new { status, message }, statusCode: status);

    private static async Task<IResult> AuthorizeAsync(
        HttpContext context, PlatformDbContext db, HubTokenService tokens,
        [FromQuery(Name = "client_id")] string? clientId, [FromQuery(Name = "redirect_uri")] string? redirectUri,
        [FromQuery(Name = "response_type")] string? responseType, string? state, CancellationToken cancellationToken)
    {
        var auth = await context.AuthenticateAsync(SessionDefaults.Scheme);
        if (!auth.Succeeded)
        {
            return Results.Redirect($"{SessionDefaults.LoginPath}?next={Uri.EscapeDataString(context.Request.Path + context.Request.QueryString)}");
        }

        if (responseType != "code" || clientId is null || redirectUri is null)
        {
            return HubError(400, "Expected response_type=code with client_id and redirect_uri.");
        }

        if (clientId.StartsWith("service-", StringComparison.Ordinal))
        {
            return await ServiceOAuth.AuthorizeAsync(context, db, tokens, auth.Principal!, clientId["service-".Length..], redirectUri, state, cancellationToken);
        }

        var candidates = await db.Environments.Include(e => e.User)
            .Where(e => "jupyterhub-user-" + e.User.Name + "-" + e.Name == clientId).ToListAsync(cancellationToken);
        var environment = candidates.FirstOrDefault(e => HubEnvironment.CallbackOf(Environments.EnvironmentLifecycle.SpecOf(e)) == redirectUri);
        if (environment is null)
        {
            return HubError(400, candidates.Count == 0 ? $"No OAuth client {clientId}." : "redirect_uri does not match the client's registered callback.");
        }

        var caller = auth.Principal!;
        var name = caller.Identity!.Name!;
        if (name != environment.User.Name && !caller.IsInRole(TokenAuthenticationHandler.AdminRole))
        {
            return HubError(403, $"{name} may not access {environment.User.Name}/{environment.Name}.");
        }

        var callerId = await db.Users.Where(u => u.Name == name).Select(u => u.Id).FirstAsync(cancellationToken);
        var scopes = new List<string>(HubEnvironment.AccessScopes(environment.User.Name, environment.Name)[..1]) { $"read:users:name!user={name}", $"read:users:groups!user={name}" };
        var code = await tokens.IssueAsync(ApiTokenKind.Code, environment.Id, callerId, scopes, caller.FindFirstValue(SessionDefaults.SessionIdClaim), cancellationToken);
        var separator = redirectUri.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return Results.Redirect($"{redirectUri}{separator}code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(state ?? string.Empty)}");
    }

    private static async Task<IResult> TokenAsync(HttpRequest request, HubTokenService tokens, PlatformDbContext db, HttpResponse response, CancellationToken cancellationToken)
    {
        var form = await request.ReadFormAsync(cancellationToken);
        if (form["client_id"].ToString().StartsWith("service-", StringComparison.Ordinal))
        {
            return await ServiceOAuth.TokenAsync(form, request.HttpContext, db, tokens, cancellationToken);
        }

        var secret = await tokens.FindAsync(form["client_secret"], ApiTokenKind.Server, cancellationToken);
        var environment = secret is null ? null : await db.Environments.Include(e => e.User).FirstOrDefaultAsync(e => e.Id == secret.EnvironmentId, cancellationToken);
        if (environment is null || form["client_id"] != HubEnvironment.ClientId(environment.User.Name, environment.Name))
        {
            return Results.Json(new { error = "invalid_client" }, statusCode: 401);
        }

        if (form["grant_type"] != "authorization_code")
        {
            return Results.Json(new { error = "unsupported_grant_type" }, statusCode: 400);
        }

        var code = await tokens.RedeemCodeAsync(form["code"], cancellationToken);
        if (code is null || code.EnvironmentId != environment.Id || form["redirect_uri"] != HubEnvironment.CallbackOf(Environments.EnvironmentLifecycle.SpecOf(environment)))
        {
            return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        }

        var accessToken = await tokens.IssueAsync(ApiTokenKind.OAuth, environment.Id, code.UserId, code.Scopes, code.SessionId, cancellationToken);
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        return Results.Json(new
        {
            access_token = accessToken,
            token_type = "Bearer",
            expires_in = (long)HubTokenService.AccessTokenLifetime.TotalSeconds,
            scope = string.Join(' ', code.Scopes),
        });
    }

}
