using DevPlatform.Identity;
using DevPlatform.Tenancy;

namespace DevPlatform.Hub.Rest;

/// <summary>
/// Our roles as JupyterHub scopes. Every user holds <c>self</c>; admins the 'admin' role; a group's managers
/// read its members and servers' owners and change its membership (<c>!group=</c>), as they may in our API.
/// A personal token's scope narrows its owner's: 'admin' keeps everything, 'environments' drops the admin
/// role, 'read-only' keeps only the read and list scopes of that.
/// </summary>
internal static class HubRoles
{
    public static HashSet<string> RawScopesOf(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var raw = new HashSet<string>(StringComparer.Ordinal) { HubScopes.Self };
        if (user.Admin)
        {
            raw.UnionWith(HubScopes.AdminRole);
        }

        foreach (var group in user.Memberships.Where(m => m.Role == MembershipRole.Manager).Select(m => m.Group.Name))
        {
            raw.UnionWith([$"list:users!group={group}", $"read:users!group={group}", $"groups!group={group}"]);
        }

        return raw;
    }

    public static HubScopeSet ScopesOf(User user) => HubScopeSet.Of(HubScopes.Expand(RawScopesOf(user), user.Name));

    /// <summary>The role names JupyterHub's user model lists.</summary>
    public static List<string> RoleNames(User user) => user.Admin ? ["user", "admin"] : ["user"];

    public static HubScopeSet ForPersonalToken(User owner, IReadOnlyCollection<string> tokenScopes)
    {
        ArgumentNullException.ThrowIfNull(tokenScopes);
        if (tokenScopes.Contains(ApiTokenScopes.Admin) && owner.Admin)
        {
            return ScopesOf(owner);
        }

        var raw = RawScopesOf(owner);
        raw.ExceptWith(HubScopes.AdminRole);
        var scopes = HubScopes.Expand(raw, owner.Name);
        if (!tokenScopes.Contains(ApiTokenScopes.Environments) && !tokenScopes.Contains(ApiTokenScopes.Admin))
        {
            scopes.RemoveWhere(s => !s.StartsWith("read:", StringComparison.Ordinal) && !s.StartsWith("list:", StringComparison.Ordinal));
        }

        return HubScopeSet.Of(scopes);
    }
}
