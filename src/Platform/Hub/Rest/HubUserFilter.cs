namespace DevPlatform.Hub.Rest;

/// <summary>
/// Which users a <c>GET /users</c> lists: JupyterHub's <c>state</c> (active, ready, inactive), the users and groups a
/// filtered <c>list:users</c> reaches (null when it is unfiltered) and <c>name_filter</c> (names containing it).
/// </summary>
internal sealed record HubUserFilter(string? State, IReadOnlySet<string>? Users, IReadOnlySet<string>? Groups, string? NameContains)
{
    /// <summary>The <c>state</c> values JupyterHub knows (empty or absent: every user).</summary>
    public static readonly IReadOnlySet<string> States = new HashSet<string>(["active", "ready", "inactive"], StringComparer.Ordinal);
}
