using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace DevPlatform.Identity;

/// <summary>A refused authorization becomes a 403 problem that says why (the failing requirement's reason, "title|detail").</summary>
internal sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var reason = authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault()?.Message;
        if (authorizeResult.Forbidden && reason is not null)
        {
            var parts = reason.Split('|', 2);
            await Results.Problem(statusCode: 403, title: parts.Length == 2 ? parts[0] : "Forbidden.", detail: parts[^1]).ExecuteAsync(context);
            return;
        }

        await fallback.HandleAsync(next, context, policy, authorizeResult);
    }
}
