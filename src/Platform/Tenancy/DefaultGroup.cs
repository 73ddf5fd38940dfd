using DevPlatform.Identity;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DevPlatform.Tenancy;

/// <summary>
/// <c>Auth:DefaultGroup</c>: the group every new user joins — at their first sign-in, and when an admin or a migration script
/// creates them through the JupyterHub API — so that, as in JupyterHub, a new user can start the default server. A group
/// the configuration names but that does not exist (yet) is skipped.
/// </summary>
internal sealed class DefaultGroup(IOptions<DevLoginOptions> options, PlatformDbContext db, MembershipStore memberships)
{
    /// <returns>The group joined, or null when there is none to join.</returns>
    public async Task<string?> JoinAsync(string user, string actor, CancellationToken cancellationToken)
    {
        if (options.Value.DefaultGroup is not { Length: > 0 } group || !await db.Groups.AnyAsync(g => g.Name == group, cancellationToken))
        {
            return null;
        }

        await memberships.PutAsync(group, user, new MembershipSpec(), actor, cancellationToken);
        return group;
    }
}
