using DevPlatform.Api;
using DevPlatform.Validation;

namespace DevPlatform.Identity;

/// <summary>
/// What a personal API token may do: 'read-only' only reads; 'environments' also changes the owner's
/// environments; 'admin' (admins only) also reaches the admin API, which the admin role guards. Creating
/// tokens needs a signed-in session or an admin-scoped token, so a token cannot mint a stronger one.
/// </summary>
internal sealed class ApiTokenScopeFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.User.HasClaim(c => c.Type == TokenAuthenticationHandler.ApiTokenClaim))
        {
            var scopes = http.User.FindAll(ApiTokenScopes.ClaimType).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
            var writes = !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method);
            if (writes && !scopes.Contains(ApiTokenScopes.Environments) && !scopes.Contains(ApiTokenScopes.Admin))
            {
                throw new ApiProblemException(403, "Read-only token.", "This token has the 'read-only' scope; use a token with 'environments' (or 'admin') to make changes.");
            }

            var tokensPath = http.Request.Path.Value?.Contains("/tokens", StringComparison.Ordinal) == true;
            if (writes && tokensPath && !scopes.Contains(ApiTokenScopes.Admin))
            {
                throw new ApiProblemException(403, "Tokens cannot create tokens.", "Create and revoke tokens from a signed-in session (or with an admin-scoped token).");
            }
        }

        return await next(context);
    }
}
