using System.Text.Json.Nodes;
using DevPlatform.Identity;
using DevPlatform.Tenancy;

namespace DevPlatform.Hub.Rest;

/// <summary>
/// JupyterHub 3.0's group and token models (apihandlers/base.py) built from ours, each group field shown only where the
/// caller's scopes reach it; users and servers are <see cref="HubUserModels"/>.
/// </summary>
internal static class HubModels
{
    private static readonly (string Scope, string[] Keys)[] GroupAccess =
    [
        ("read:groups", ["kind", "name", "users"]),
        ("read:groups:name", ["kind", "name"]),
        ("read:roles:groups", ["kind", "name", "roles"]),
    ];

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

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
