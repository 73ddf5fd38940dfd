namespace DevPlatform.Hub.Rest;

/// <summary>
/// JupyterHub 3.0's scopes (jupyterhub/scopes.py): the definitions with their subscopes, the metascopes
/// <c>self</c> and <c>inherit</c>, the role scopes, and expansion of raw scopes with filters
/// (<c>!user=</c>, <c>!group=</c>, <c>!server=user/name</c>, and the owner placeholders <c>!user</c>, <c>!server</c>).
/// </summary>
internal static class HubScopes
{
    public const string Inherit = "inherit";
    public const string Self = "self";

    private static readonly Dictionary<string, string[]> Definitions = new(StringComparer.Ordinal)
    {
        ["(no_scope)"] = [], ["admin-ui"] = [],
        ["admin:users"] = ["admin:auth_state", "users", "read:roles:users", "delete:users"],
        ["admin:auth_state"] = [], ["users"] = ["read:users", "list:users", "users:activity"], ["delete:users"] = [],
        ["list:users"] = ["read:users:name"], ["read:users"] = ["read:users:name", "read:users:groups", "read:users:activity"],
        ["read:users:name"] = [], ["read:users:groups"] = [], ["read:users:activity"] = [],
        ["read:roles"] = ["read:roles:users", "read:roles:services", "read:roles:groups"],
        ["read:roles:users"] = [], ["read:roles:services"] = [], ["read:roles:groups"] = [],
        ["users:activity"] = ["read:users:activity"],
        ["admin:servers"] = ["admin:server_state", "servers"], ["admin:server_state"] = [],
        ["servers"] = ["read:servers", "delete:servers"], ["read:servers"] = ["read:users:name"], ["delete:servers"] = [],
        ["tokens"] = ["read:tokens"], ["read:tokens"] = [],
        ["admin:groups"] = ["groups", "read:roles:groups", "delete:groups"], ["groups"] = ["read:groups", "list:groups"],
        ["list:groups"] = ["read:groups:name"], ["read:groups"] = ["read:groups:name"], ["read:groups:name"] = [], ["delete:groups"] = [],
        ["list:services"] = ["read:services:name"], ["read:services"] = ["read:services:name"], ["read:services:name"] = [],
        ["read:hub"] = [], ["access:servers"] = [], ["access:services"] = [], ["proxy"] = [], ["shutdown"] = [], ["read:metrics"] = [],
    };

    /// <summary>The 'admin' role.</summary>
    public static readonly string[] AdminRole =
    [
        "admin-ui", "admin:users", "admin:servers", "tokens", "admin:groups", "list:services", "read:services", "read:hub",
        "proxy", "shutdown", "access:services", "access:servers", "read:roles", "read:metrics",
    ];

    /// <summary>The 'server' role: what an environment's own token may do.</summary>
    public static readonly string[] ServerRole = ["users:activity!user", "access:servers!user"];

    private static readonly string[] SelfScopes =
    [
        "read:users", "read:users:name", "read:users:groups", "users:activity", "read:users:activity",
        "servers", "delete:servers", "read:servers", "tokens", "read:tokens", "access:servers",
    ];

    private static readonly string[] FilterKinds = ["user", "service", "group", "server"];

    /// <summary>The raw scopes of a built-in role, or null for a role JupyterHub 3.0 does not define.</summary>
    public static string[]? Role(string name) => name switch
    {
        "user" => [Self],
        "admin" => AdminRole,
        "server" => ServerRole,
        "token" => [Inherit],
        _ => null,
    };

    /// <summary>Why a raw scope is not one JupyterHub knows (as its 400 says), or null when it is.</summary>
    public static string? Problem(string scope)
    {
        var (name, filter) = Split(scope);
        if (name != Inherit && name != Self && !Definitions.ContainsKey(name))
        {
            return name == "all" ? "Draft scope 'all' is now called 'inherit'" : $"Scope '{scope}' does not exist";
        }

        if (filter is null || filter is "user" or "server" or "service")
        {
            return null;
        }

        var kind = filter.Split('=', 2)[0];
        return filter.Contains('=', StringComparison.Ordinal) && FilterKinds.Contains(kind) ? null : $"Scope filter '!{filter}' in scope '{scope}' does not exist";
    }

    /// <summary>
    /// Raw scopes → expanded scopes for an owner: subscopes added under the same filter, <c>self</c> and the
    /// <c>!user</c> / <c>!server</c> placeholders resolved, read access through a server filter also reads the
    /// user's name, and filtered scopes dropped where the unfiltered one is held. <c>inherit</c> is left to the caller.
    /// </summary>
    public static HashSet<string> Expand(IEnumerable<string> raw, string? userName, string? serverName = null)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var expanded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var scope in raw)
        {
            if (scope == Self)
            {
                if (userName is not null)
                {
                    expanded.UnionWith(SelfScopes.Select(s => $"{s}!user={userName}"));
                }

                continue;
            }

            var (name, filter) = Split(scope);
            if (!Definitions.ContainsKey(name))
            {
                continue;
            }

            filter = filter switch
            {
                "user" => userName is null ? null : $"user={userName}",
                "server" => userName is null || serverName is null ? null : $"server={userName}/{serverName}",
                _ => filter,
            };
            if (scope.Contains('!', StringComparison.Ordinal) && filter is null)
            {
                continue; // a placeholder without an owner to stand for
            }

            var names = WithSubscopes(name);
            expanded.UnionWith(names.Select(n => filter is null ? n : $"{n}!{filter}"));
            if (filter?.StartsWith("server=", StringComparison.Ordinal) == true && names.Any(n => n.StartsWith("read:", StringComparison.Ordinal)))
            {
                expanded.Add($"read:users:name!user={filter["server=".Length..].Split('/')[0]}");
            }
        }

        expanded.RemoveWhere(s => s.Contains('!', StringComparison.Ordinal) && expanded.Contains(Split(s).Name));
        return expanded;
    }

    public static (string Name, string? Filter) Split(string scope)
    {
        var bang = scope.IndexOf('!', StringComparison.Ordinal);
        return bang < 0 ? (scope, null) : (scope[..bang], scope[(bang + 1)..]);
    }

    private static HashSet<string> WithSubscopes(string name)
    {
        var all = new HashSet<string>(StringComparer.Ordinal) { name };
        foreach (var sub in Definitions[name])
        {
            all.UnionWith(WithSubscopes(sub));
        }

        return all;
    }
}
