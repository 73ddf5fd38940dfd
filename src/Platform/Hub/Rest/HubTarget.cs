namespace DevPlatform.Hub.Rest;

/// <summary>
/// The resource a scope is checked against: a user (with the groups they are in), one of a user's servers
/// (<see cref="Server"/> is "" for the default server), a group, or nothing (a list, filtered item by item).
/// </summary>
internal sealed record HubTarget(string? User = null, string? Server = null, string? Group = null, IReadOnlyCollection<string>? Groups = null)
{
    public static HubTarget None { get; } = new();

    public bool IsNone => User is null && Group is null;

    public IReadOnlyCollection<string> UserGroups => Groups ?? [];

    public static HubTarget ForUser(string user, IReadOnlyCollection<string>? groups = null) => new(user, Groups: groups);

    public static HubTarget ForServer(string user, string server, IReadOnlyCollection<string>? groups = null) => new(user, server, Groups: groups);

    public static HubTarget ForGroup(string group) => new(Group: group);
}
