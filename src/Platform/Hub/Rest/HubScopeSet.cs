namespace DevPlatform.Hub.Rest;

/// <summary>
/// Expanded scopes, parsed as JupyterHub parses them: per scope either everything, or the users, groups and
/// servers (<c>user/name</c>) its filters name. Answers whether a caller may use an endpoint and which
/// resources (and which fields of them) it may see.
/// </summary>
internal sealed class HubScopeSet
{
    private readonly Dictionary<string, Dictionary<string, HashSet<string>>?> parsed = new(StringComparer.Ordinal);

    private HubScopeSet(IEnumerable<string> expanded)
    {
        foreach (var scope in expanded)
        {
            var (name, filter) = HubScopes.Split(scope);
            if (filter is null)
            {
                parsed[name] = null;
                continue;
            }

            if (parsed.TryGetValue(name, out var filters) && filters is null)
            {
                continue;
            }

            if (filters is null)
            {
                parsed[name] = filters = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            }

            var (kind, value) = (filter.Split('=', 2)[0], filter.Split('=', 2).ElementAtOrDefault(1) ?? string.Empty);
            if (!filters.TryGetValue(kind, out var values))
            {
                filters[kind] = values = new HashSet<string>(StringComparer.Ordinal);
            }

            values.Add(value);
        }
    }

    public static HubScopeSet Empty { get; } = new([]);

    public static HubScopeSet Of(IEnumerable<string> expanded) => new(expanded);

    /// <summary>The scopes, sorted, as <c>/hub/api/user</c> and token models list them.</summary>
    public IReadOnlyList<string> Expanded => parsed
        .SelectMany(p => p.Value is null ? [p.Key] : p.Value.SelectMany(f => f.Value.Select(v => $"{p.Key}!{f.Key}={v}")))
        .Order(StringComparer.Ordinal).ToList();

    public bool Holds(string scope) => parsed.ContainsKey(scope);

    public bool HoldsUnfiltered(string scope) => parsed.TryGetValue(scope, out var filters) && filters is null;

    /// <summary>The values of one filter kind of a held, filtered scope (empty when it has none of that kind).</summary>
    public IReadOnlySet<string> Values(string scope, string kind) =>
        parsed.TryGetValue(scope, out var filters) && filters is not null && filters.TryGetValue(kind, out var values) ? values : new HashSet<string>();

    public HubScopeSet With(IEnumerable<string> expanded) => new(Expanded.Concat(expanded));

    /// <summary>
    /// JupyterHub's <c>needs_scope</c>: the first held scope decides. Unfiltered, or filtered with no resource named
    /// (lists filter their items): allowed. Filtered: allowed when a filter names the user, the server or the group,
    /// or a group the user is in; otherwise <see cref="HubAccess.Hidden"/> (404), without trying the next scope.
    /// </summary>
    public HubAccess Check(IReadOnlyList<string> required, HubTarget target)
    {
        foreach (var scope in required)
        {
            if (!parsed.TryGetValue(scope, out var filters))
            {
                continue;
            }

            if (filters is null || target.IsNone)
            {
                return HubAccess.Allowed;
            }

            return Matches(filters, target) ? HubAccess.Allowed : HubAccess.Hidden;
        }

        return HubAccess.Refused;
    }

    /// <summary>JupyterHub's <c>check_scope_filter</c>: whether the scope covers this one user, server or group.</summary>
    public bool Covers(string scope, HubTarget target) =>
        parsed.TryGetValue(scope, out var filters) && (filters is null || Matches(filters, target));

    /// <summary>
    /// What both sets allow (a token's scopes within its owner's): per scope the narrower of each pair of filters —
    /// everything ∧ x = x, equal filters, a user's server within that user, a user within a group the user is in.
    /// </summary>
    public HubScopeSet Intersect(HubScopeSet other, Func<string, IReadOnlyCollection<string>> groupsOf)
    {
        ArgumentNullException.ThrowIfNull(other);
        var result = new List<string>();
        foreach (var (name, mine) in parsed)
        {
            if (!other.parsed.TryGetValue(name, out var theirs))
            {
                continue;
            }

            var left = mine is null ? [null] : Flatten(mine);
            var right = theirs is null ? [null] : Flatten(theirs);
            foreach (var a in left)
            {
                foreach (var b in right)
                {
                    if (Narrower(a, b, groupsOf) is { } filter)
                    {
                        result.Add(filter.Length == 0 ? name : $"{name}!{filter}");
                    }
                }
            }
        }

        return new HubScopeSet(result);
    }

    private static List<string?> Flatten(Dictionary<string, HashSet<string>> filters) =>
        filters.SelectMany(f => f.Value.Select(v => (string?)$"{f.Key}={v}")).ToList();

    /// <summary>The filter both allow ("" for everything), or null when they share nothing.</summary>
    private static string? Narrower(string? a, string? b, Func<string, IReadOnlyCollection<string>> groupsOf)
    {
        if (a is null || b is null)
        {
            return a ?? b ?? string.Empty;
        }

        if (a == b)
        {
            return a;
        }

        return Within(a, b, groupsOf) ? a : Within(b, a, groupsOf) ? b : null;
    }

    /// <summary>Whether filter <paramref name="inner"/> names a part of what <paramref name="outer"/> names.</summary>
    private static bool Within(string inner, string outer, Func<string, IReadOnlyCollection<string>> groupsOf)
    {
        var (innerKind, innerValue) = (inner.Split('=', 2)[0], inner.Split('=', 2)[1]);
        var (outerKind, outerValue) = (outer.Split('=', 2)[0], outer.Split('=', 2)[1]);
        var innerUser = innerKind switch { "server" => innerValue.Split('/')[0], "user" => innerValue, _ => null };
        return (outerKind, innerUser) switch
        {
            ("user", { } user) => user == outerValue,
            ("group", { } user) => groupsOf(user).Contains(outerValue),
            _ => false,
        };
    }

    private static bool Matches(Dictionary<string, HashSet<string>> filters, HubTarget target)
    {
        if (target.Group is { } group)
        {
            return filters.TryGetValue("group", out var groups) && groups.Contains(group);
        }

        if (target.User is null)
        {
            return false;
        }

        return (target.Server is { } server && filters.TryGetValue("server", out var servers) && servers.Contains($"{target.User}/{server}"))
            || (filters.TryGetValue("user", out var users) && users.Contains(target.User))
            || (filters.TryGetValue("group", out var userGroups) && target.UserGroups.Any(userGroups.Contains));
    }
}
