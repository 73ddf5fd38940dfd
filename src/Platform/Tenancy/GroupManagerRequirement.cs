using DevPlatform.Api;
using DevPlatform.Persistence;
using DevPlatform.Validation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Tenancy;

/// <summary>
/// The caller is an admin, or a manager of the route's <c>{name}</c> group: they manage its members, quotas and
/// budget, not which profiles it may use. Checked before the body is read.
/// </summary>
internal sealed class GroupManagerRequirement : IAuthorizationRequirement
{
    public const string Policy = "group-manager-or-admin";

    /// <summary>A manager who is not an admin may change quotas and budget, not the allowed profiles (403 naming the field).</summary>
    public static async Task CheckManagerKeepsProfilesAsync(HttpContext http, string name, GroupPolicySpec spec, GroupStore groups, CancellationToken cancellationToken)
    {
        if (http.User.IsInRole(TokenAuthenticationHandler.AdminRole))
        {
            return;
        }

        var current = (await groups.GetAsync(name, cancellationToken)).Policy.AllowedProfiles.Order(StringComparer.Ordinal).ToList();
        if (!current.SequenceEqual((spec.AllowedProfiles ?? []).Order(StringComparer.Ordinal)))
        {
            throw new ApiProblemException(
                StatusCodes.Status403Forbidden, "Only admins change allowed profiles.",
                $"allowedProfiles: group managers may change quotas, limits and budget; keep allowedProfiles as [{string.Join(", ", current)}] or ask an admin.",
                new Dictionary<string, object?> { ["field"] = "allowedProfiles" });
        }
    }
}

/// <summary>Decides <see cref="GroupManagerRequirement"/> from the caller's role and their membership of the route's group.</summary>
internal sealed class GroupManagerHandler : AuthorizationHandler<GroupManagerRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, GroupManagerRequirement requirement)
    {
        var http = context.Resource as HttpContext;
        var group = http?.GetRouteValue("name") as string;
        if (context.User.IsInRole(TokenAuthenticationHandler.AdminRole) || (http is not null && group is not null && await ManagesAsync(http, context.User.Identity?.Name, group)))
        {
            context.Succeed(requirement);
            return;
        }

        context.Fail(new AuthorizationFailureReason(this, $"{context.User.Identity?.Name} is not a manager of group {group}; ask an admin or one of its managers."));
    }

    private static async Task<bool> ManagesAsync(HttpContext http, string? user, string group) =>
        user is not null && await http.RequestServices.GetRequiredService<PlatformDbContext>()
            .Memberships.AnyAsync(m => m.Group.Name == group && m.User.Name == user && m.Role == MembershipRole.Manager, http.RequestAborted);
}
