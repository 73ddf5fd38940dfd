using DevPlatform.Api;
using Microsoft.AspNetCore.Authorization;

namespace DevPlatform.Identity;

/// <summary>
/// What a personal API token may do: 'read-only' only reads; 'environments' also changes the owner's
/// environments; 'admin' (admins only) also reaches the admin API, which the admin role guards. Creating
/// tokens needs a signed-in session or an admin-scoped token, so a token cannot mint a stronger one.
/// Sessions and the operator's token are not limited by scopes.
/// </summary>
internal sealed class ApiTokenScopeRequirement : AuthorizationHandler<ApiTokenScopeRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ApiTokenScopeRequirement requirement)
    {
        if (!context.User.HasClaim(c => c.Type == TokenAuthenticationHandler.ApiTokenClaim) || context.Resource is not HttpContext http)
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }

        var scopes = context.User.FindAll(ApiTokenScopes.ClaimType).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var writes = !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method);
        var mints = http.GetEndpoint()?.Metadata.GetMetadata<MintsCredentials>() is not null;
        if (writes && !scopes.Contains(ApiTokenScopes.Environments) && !scopes.Contains(ApiTokenScopes.Admin))
        {
            context.Fail(new AuthorizationFailureReason(this, "Read-only token.|This token has the 'read-only' scope; use a token with 'environments' (or 'admin') to make changes."));
        }
        else if (writes && mints && !scopes.Contains(ApiTokenScopes.Admin))
        {
            context.Fail(new AuthorizationFailureReason(this, "Tokens cannot create tokens.|Create and revoke tokens from a signed-in session (or with an admin-scoped token)."));
        }
        else
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
