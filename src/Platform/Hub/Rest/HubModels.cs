using System.Text.Json.Nodes;
using DevPlatform.Environments;
using DevPlatform.Identity;
using DevPlatform.Tenancy;

namespace DevPlatform.Hub.Rest;

/// <summary>
/// JupyterHub 3.0's user, server, group and token models (apihandlers/base.py) built from ours, each field shown
/// only where the caller's scopes reach it (JupyterHub's access maps).
/// </summary>
internal sealed class HubModels(HubCaller caller, HubServerNames names)
{
    private static readonly (string Scope, string[] Keys)[] UserAccess =
    [
        ("read:users", ["kind", "name", "admin", "roles", "groups", "server", "pending", "created", "last_activity"]),
        ("read:users:name", ["kind", "name", "admin"]),
        ("read:users:groups", ["kind", "name", "groups"]),
        ("read:users:activity", ["kind", "name", "last_activity"]),
        ("read:servers", ["kind", "name", "servers"]),
        ("read:roles:users", ["kind", "name", "roles", "admin"]),
        ("admin:auth_state", ["kind", "name", "auth_state"]),
    ];

    private static readonly (string Scope, string[] Keys)[] GroupAccess =
    [
        ("read:groups", ["kind", "name", "users"]),
        ("read:groups:name", ["kind", "name"]),
        ("read:roles:groups", ["kind", "name", "roles"]),
    ];

    public HubServerNames Names => names;

    /// <param name="includeStopped">JupyterHub's <c>include_stopped_servers</c>: list stopped servers too.</param>
    public JsonObject User(User user, IReadOnlyList<UserEnvironment> environments, bool includeStopped = false)
    {
        ArgumentNullException.ThrowIfNull(user);
        return User(new HubUserView(user, user.Memberships.Select(m => m.Group.Name).ToList(), [.. environments]), includeStopped);
    }

    public JsonObject User(HubUserView view, bool includeStopped = false)
    {
        ArgumentNullException.ThrowIfNull(view);
        var (user, environments) = (view.User, view.Environments);
        var groups = view.Groups.Order(StringComparer.Ordinal).ToList();
        var target = HubTarget.ForUser(user.Name, groups);
        var allowed = UserAccess.Where(a => caller.Scopes.Covers(a.Scope, target)).SelectMany(a => a.Keys).ToHashSet(StringComparer.Ordinal);
        var primary = environments.FirstOrDefault(e => e.Name == names.DefaultEnvironment);
        var activity = environments.Select(e => e.LastActivityAt).Append(user.LastActivityAt).Max();
        var model = new JsonObject
        {
            ["kind"] = "user", ["name"] = user.Name, ["admin"] = user.Admin, ["roles"] = Strings(HubRoles.RoleNames(user)), ["groups"] = Strings(groups),
            ["server"] = primary?.State == EnvironmentState.Running ? HubServerNames.Url(user.Name, primary.Name) : null,
            ["pending"] = primary is null ? null : Pending(primary.State), ["created"] = HubJson.Time(user.CreatedAt),
            ["last_activity"] = HubJson.Time(activity), ["auth_state"] = null,
        };
        foreach (var key in model.Select(p => p.Key).Where(k => !allowed.Contains(k)).ToList())
        {
            model.Remove(key);
        }

        var servers = new JsonObject();
        foreach (var environment in environments.Where(e => (includeStopped || e.State.IsActive())
            && caller.Scopes.Covers("read:servers", HubTarget.ForServer(user.Name, names.ServerName(e.Name), groups))))
        {
            servers[names.ServerName(environment.Name)] = Server(environment, user.Name, groups);
        }

        if (model.Count > 0 && (allowed.Contains("servers") || servers.Count > 0))
        {
            model["servers"] = servers;
        }

        return model;
    }

    public JsonObject Server(UserEnvironment environment, string user, IReadOnlyCollection<string> groups)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var server = names.ServerName(environment.Name);
        var model = new JsonObject
        {
            ["name"] = server, ["last_activity"] = HubJson.Time(environment.LastActivityAt), ["started"] = HubJson.Time(environment.StartedAt),
            ["pending"] = Pending(environment.State), ["ready"] = environment.State == EnvironmentState.Running, ["stopped"] = !environment.State.IsActive(),
            ["url"] = HubServerNames.Url(user, environment.Name), ["user_options"] = UserOptions(environment.Request), ["progress_url"] = HubServerNames.ProgressUrl(user, server),
        };
        if (caller.Scopes.Covers("admin:server_state", HubTarget.ForServer(user, server, groups)))
        {
            model["state"] = environment.BackendState is null ? new JsonObject() : JsonNode.Parse(environment.BackendState);
        }

        return model;
    }

    public static JsonObject Group(HubCaller caller, Group group)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(group);
        var allowed = GroupAccess.Where(a => caller.Scopes.Covers(a.Scope, HubTarget.ForGroup(group.Name))).SelectMany(a => a.Keys).ToHashSet(StringComparer.Ordinal);
        var model = new JsonObject
        {
            ["kind"] = "group", ["name"] = group.Name, ["roles"] = new JsonArray(),
            ["users"] = Strings(group.Memberships.Select(m => m.User.Name).Order(StringComparer.Ordinal)),
        };
        foreach (var key in model.Select(p => p.Key).Where(k => !allowed.Contains(k)).ToList())
        {
            model.Remove(key);
        }

        return model;
    }

    /// <summary>A token as JupyterHub lists it: id <c>a{n}</c>, its effective scopes, note, times and the client it belongs to.</summary>
    public static JsonObject Token(ApiToken token, User owner, string? environmentUrl)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(owner);
        var scopes = token.Kind == ApiTokenKind.Personal ? HubRoles.ForPersonalToken(owner, token.Scopes) : HubCallers.ScopesOf(token, owner);
        var serverNote = environmentUrl is null ? null : $"Server at {environmentUrl}";
        return new JsonObject
        {
            ["user"] = owner.Name, ["id"] = $"a{token.Id}", ["kind"] = "api_token", ["roles"] = new JsonArray(), ["scopes"] = Strings(scopes.Expanded),
            ["created"] = HubJson.Time(token.CreatedAt), ["last_activity"] = HubJson.Time(token.LastUsedAt), ["expires_at"] = HubJson.Time(token.ExpiresAt),
            ["note"] = token.Kind switch { ApiTokenKind.Personal => token.Name, ApiTokenKind.Server => serverNote, _ => token.Note },
            ["session_id"] = token.SessionId,
            ["oauth_client"] = token.Kind == ApiTokenKind.OAuth ? serverNote ?? "JupyterHub" : "JupyterHub",
        };
    }

    public static string? Pending(EnvironmentState state) => state switch
    {
        EnvironmentState.Pending or EnvironmentState.Starting => "spawn",
        EnvironmentState.Stopping => "stop",
        _ => null,
    };

    /// <summary>The start options as given: the launch request without its name, only what was set.</summary>
    private static JsonObject UserOptions(string request)
    {
        var options = JsonNode.Parse(request) as JsonObject ?? [];
        foreach (var key in options.Where(p => p.Key == "name" || p.Value is null).Select(p => p.Key).ToList())
        {
            options.Remove(key);
        }

        return options;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
