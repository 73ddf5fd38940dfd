using DevPlatform.Api;
using Microsoft.AspNetCore.Authorization;

namespace DevPlatform.Identity;

/// <summary>The route's <c>{user}</c> is the caller, or the caller is an admin. Checked before the body is read.</summary>
internal sealed class OwnerOrAdminRequirement : AuthorizationHandler<OwnerOrAdminRequirement>, IAuthorizationRequirement
{
    public const string Policy = "owner-or-admin";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, OwnerOrAdminRequirement requirement)
    {
        var user = (context.Resource as HttpContext)?.GetRouteValue("user") as string;
        if (context.User.IsInRole(TokenAuthenticationHandler.AdminRole) || (user is not null && context.User.Identity?.Name == user))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, $"{context.User.Identity?.Name} may not see or change what belongs to {user}."));
        }

        return Task.CompletedTask;
    }
}
