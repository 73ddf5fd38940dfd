using DevPlatform.Identity;
using DevPlatform.Validation;
using Microsoft.Extensions.Options;

namespace DevPlatform.Tenancy;

/// <summary>
/// <c>Auth:DefaultGroup</c>: the group every new user joins — at their first sign-in, and when an admin or a migration script
/// creates them through the JupyterHub API — so that, as in JupyterHub, a new user can start the default server. A group
/// the configuration names but that does not exist (yet) is skipped.
/// </summary>
internal sealed class DefaultGroup(IOptions<DevLoginOptions> options, MembershipStore memberships)
{
    /// <summary>The configured group's name (it may not exist), or null.</summary>
    public string? Name => options.Value.DefaultGroup is { Length: > 0 } group ? group : null;

    /// <returns>The group joined, or null when there is none to join.</returns>
    public async Task<string?> JoinAsync(string user, string actor, CancellationToken cancellationToken)
    {
        if (Name is not { } group)
        {
            return null;
        }

        try
        {
            await memberships.PutAsync(group, user, new MembershipSpec(), actor, cancellationToken);
            return group;
        }
        catch (ResourceNotFoundException e) when (e.ResourceType == "group")
        {
            return null; // configured but not created (yet)
        }
    }
}
