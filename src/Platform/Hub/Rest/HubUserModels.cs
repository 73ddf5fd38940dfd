using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using DevPlatform.Environments;

namespace DevPlatform.Hub.Rest;

/// <summary>
/// JupyterHub 3.0's user and server models (apihandlers/base.py) built from ours, each field shown only where the
/// caller's scopes reach it (JupyterHub's access map), written straight to JSON.
/// </summary>
internal sealed class HubUserModels(HubCaller caller, HubServerNames names)
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

    /// <summary>The order JupyterHub writes the user model's keys in.</summary>
    private static readonly string[] UserKeyOrder =
        ["kind", "name", "admin", "roles", "groups", "server", "pending", "created", "last_activity", "auth_state", "servers"];

    private IReadOnlyCollection<string>? unfilteredUserKeys;

    /// <summary>Whether the caller sees anything of this user: a list leaves out the ones they do not (JupyterHub's empty models).</summary>
    public bool Sees(HubUserView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return UserKeysFor(HubTarget.ForUser(view.User.Name, view.Groups)).Count > 0;
    }

    /// <summary>The user model as a JSON object, for answers that add to it (whoami, PATCH).</summary>
    /// <param name="view">The user, their groups and their environments.</param>
    /// <param name="includeStopped">JupyterHub's <c>include_stopped_servers</c>: list stopped servers too.</param>
    public JsonObject User(HubUserView view, bool includeStopped = false)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteUser(writer, view, includeStopped);
        }

        return JsonNode.Parse(buffer.WrittenSpan)!.AsObject();
    }

    /// <summary>The user model, straight to JSON (lists write 200 of them): only the keys the caller's scopes reach.</summary>
    public void WriteUser(Utf8JsonWriter writer, HubUserView view, bool includeStopped = false)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(view);
        var (user, environments, groups) = (view.User, view.Environments, Sorted(view.Groups));
        var shown = UserKeysFor(HubTarget.ForUser(user.Name, groups));
        writer.WriteStartObject();
        if (shown.Count == 0)
        {
            writer.WriteEndObject();
            return;
        }

        var primary = environments.Find(e => e.Name == names.DefaultEnvironment);
        var servers = environments.Where(e => (includeStopped || e.State.IsActive())
            && caller.Scopes.Covers("read:servers", HubTarget.ForServer(user.Name, names.ServerName(e.Name), groups))).ToList();
        foreach (var key in shown)
        {
            switch (key)
            {
                case "kind": writer.WriteString(key, "user"); break;
                case "name": writer.WriteString(key, user.Name); break;
                case "admin": writer.WriteBoolean(key, user.Admin); break;
                case "roles": WriteStrings(writer, key, HubRoles.RoleNames(user)); break;
                case "groups": WriteStrings(writer, key, groups); break;
                case "server": writer.WriteString(key, primary?.State == EnvironmentState.Running ? HubServerNames.Url(user.Name, primary.Name) : null); break;
                case "pending": writer.WriteString(key, primary is null ? null : Pending(primary.State)); break;
                case "created": writer.WriteString(key, HubJson.Time(user.CreatedAt)); break;
                case "last_activity": writer.WriteString(key, HubJson.Time(environments.Select(e => e.LastActivityAt).Append(user.LastActivityAt).Max())); break;
                case "auth_state": writer.WriteNull(key); break;
                case "servers": break; // last, below
                default: throw new InvalidOperationException($"no value for user key '{key}'");
            }
        }

        if (shown.Contains("servers") || servers.Count > 0)
        {
            writer.WriteStartObject("servers");
            foreach (var environment in servers)
            {
                writer.WritePropertyName(names.ServerName(environment.Name));
                WriteServer(writer, environment, user.Name, groups);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// The user model's keys the caller sees for this user, in the model's order; worked out once per caller when
    /// none of the scopes is filtered.
    /// </summary>
    private IReadOnlyCollection<string> UserKeysFor(HubTarget target)
    {
        if (unfilteredUserKeys is not null)
        {
            return unfilteredUserKeys;
        }

        var reached = UserAccess.Where(a => caller.Scopes.Covers(a.Scope, target)).SelectMany(a => a.Keys).ToHashSet(StringComparer.Ordinal);
        var keys = UserKeyOrder.Where(reached.Contains).ToList();
        if (UserAccess.All(a => !caller.Scopes.Holds(a.Scope) || caller.Scopes.HoldsUnfiltered(a.Scope)))
        {
            unfilteredUserKeys = keys;
        }

        return keys;
    }

    private void WriteServer(Utf8JsonWriter writer, UserEnvironment environment, string user, IReadOnlyCollection<string> groups)
    {
        var server = names.ServerName(environment.Name);
        writer.WriteStartObject();
        writer.WriteString("name", server);
        writer.WriteString("last_activity", HubJson.Time(environment.LastActivityAt));
        writer.WriteString("started", HubJson.Time(environment.StartedAt));
        writer.WriteString("pending", Pending(environment.State));
        writer.WriteBoolean("ready", environment.State == EnvironmentState.Running);
        writer.WriteBoolean("stopped", !environment.State.IsActive());
        writer.WriteString("url", HubServerNames.Url(user, environment.Name));
        writer.WritePropertyName("user_options");
        WriteUserOptions(writer, environment.Request);
        writer.WriteString("progress_url", HubServerNames.ProgressUrl(user, server));
        if (caller.Scopes.Covers("admin:server_state", HubTarget.ForServer(user, server, groups)))
        {
            writer.WritePropertyName("state");
            if (environment.BackendState is null)
            {
                writer.WriteStartObject();
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteRawValue(environment.BackendState);
            }
        }

        writer.WriteEndObject();
    }

    private static string? Pending(EnvironmentState state) => state switch
    {
        EnvironmentState.Pending or EnvironmentState.Starting => "spawn",
        EnvironmentState.Stopping => "stop",
        _ => null,
    };

    /// <summary>The start options as given: the launch request without its name, only what was set.</summary>
    private static void WriteUserOptions(Utf8JsonWriter writer, string request)
    {
        using var options = JsonDocument.Parse(request);
        writer.WriteStartObject();
        if (options.RootElement.ValueKind == JsonValueKind.Object)
        {
            foreach (var option in options.RootElement.EnumerateObject().Where(o => o.Name != "name" && o.Value.ValueKind != JsonValueKind.Null))
            {
                option.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string key, IEnumerable<string> values)
    {
        writer.WriteStartArray(key);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static List<string> Sorted(List<string> groups) => groups.Count > 1 ? groups.Order(StringComparer.Ordinal).ToList() : groups;
}
