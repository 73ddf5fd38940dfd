using DevPlatform.Identity;
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
    public async Task<string?> JoinAsync(string user, string actor, CancellationToken cancellationToken) =>
        Name is { } group && await memberships.JoinIfGroupExistsAsync(group, user, actor, cancellationToken) ? group : null;
}
