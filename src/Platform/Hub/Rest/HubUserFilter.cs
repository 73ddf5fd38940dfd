namespace DevPlatform.Hub.Rest;

/// <summary>
/// Which users a <c>GET /users</c> lists: JupyterHub's <c>state</c> (active, ready, inactive), the users and groups a
/// filtered <c>list:users</c> reaches (null when it is unfiltered) and <c>name_filter</c> (names containing it).
/// </summary>
internal sealed record HubUserFilter(string? State, IReadOnlySet<string>? Users, IReadOnlySet<string>? Groups, string? NameContains);
