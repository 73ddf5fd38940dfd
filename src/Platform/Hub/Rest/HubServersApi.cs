using System.Text.Json;
using System.Text.Json.Nodes;
using DevPlatform.Environments;

namespace DevPlatform.Hub.Rest;

/// <summary>
/// Starting and stopping servers (jupyterhub/apihandlers/users.py, UserServerAPIHandler) as our environments:
/// the default server is the environment <c>Hub:DefaultServerName</c>, a named server the environment of its name.
/// Start options pick the profile and its choices; the answer waits up to <c>Hub:SlowSeconds</c> for the result
/// (201 ready, 202 still pending), as JupyterHub's <c>slow_spawn_timeout</c> and <c>slow_stop_timeout</c> do.
/// </summary>
internal static class HubServersApi
{
    private static readonly Dictionary<string, JsonValueKind> OptionKeys = new(StringComparer.Ordinal)
    {
        ["profile"] = JsonValueKind.String, ["image"] = JsonValueKind.String, ["size"] = JsonValueKind.String,
        ["bundles"] = JsonValueKind.Array, ["group"] = JsonValueKind.String,
    };

    public static RouteGroupBuilder MapHubServers(this RouteGroupBuilder api)
    {
        api.MapPost("/users/{name}/server", (string name, HttpContext http, HubServerCalls calls, CancellationToken ct) => calls.StartAsync(http, name, string.Empty, ct));
        api.MapPost("/users/{name}/servers/{server}", (string name, string server, HttpContext http, HubServerCalls calls, CancellationToken ct) => calls.StartAsync(http, name, server, ct));
        api.MapDelete("/users/{name}/server", (string name, HttpContext http, HubServerCalls calls, CancellationToken ct) => calls.StopAsync(http, name, string.Empty, ct));
        api.MapDelete("/users/{name}/servers/{server}", (string name, string server, HttpContext http, HubServerCalls calls, CancellationToken ct) => calls.StopAsync(http, name, server, ct));
        api.MapGet("/users/{name}/server/progress", (string name, HttpContext http, HubProgress progress, CancellationToken ct) => progress.StreamAsync(http, name, string.Empty, ct));
        api.MapGet("/users/{name}/servers/{server}/progress", (string name, string server, HttpContext http, HubProgress progress, CancellationToken ct) => progress.StreamAsync(http, name, server, ct));
        return api;
    }

    /// <summary>The start options as our launch request: strict keys and types, the profile defaulting to the environment's own, else <c>Hub:DefaultProfile</c>, else the user's first allowed one.</summary>
    /// <param name="currentProfile">The profile of the environment being started again (kept unless the options name another), or null for a new one.</param>
    public static async Task<LaunchRequest?> RequestAsync(
        JsonNode? body, string user, string environment, string? currentProfile, HubOptions options, LaunchOptions launchOptions, CancellationToken ct)
    {
        if (body is null || (body is JsonObject empty && empty.Count == 0))
        {
            return null;
        }

        var model = HubJson.Object(body, "Start options must be a JSON object such as {\"profile\": \"jupyter\", \"size\": \"small\"}");
        if (model.Any(p => !OptionKeys.ContainsKey(p.Key)))
        {
            throw new HubApiException(400, $"Unknown start options {string.Join(", ", model.Select(p => p.Key).Where(k => !OptionKeys.ContainsKey(k)).Select(k => $"'{k}'"))}: "
                + "DevPlatform accepts profile, image, size, bundles and group (GET /api/me/launch-options lists the choices).");
        }

        HubJson.CheckKeys(model, "user_options", OptionKeys);
        var profile = model["profile"]?.GetValue<string>() ?? currentProfile ?? await DefaultProfileAsync(user, options, launchOptions, ct);
        return new LaunchRequest(environment, profile, model["image"]?.GetValue<string>(), model.ContainsKey("bundles") ? HubJson.Strings(model, "bundles", "user_options.bundles") : null,
            model["size"]?.GetValue<string>(), model["group"]?.GetValue<string>());
    }

    public static async Task<string> DefaultProfileAsync(string user, HubOptions options, LaunchOptions launchOptions, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(options.DefaultProfile))
        {
            return options.DefaultProfile;
        }

        return (await launchOptions.ForAsync(user, ct)).SelectMany(g => g.Profiles).Select(p => p.Name).FirstOrDefault()
            ?? throw new HubApiException(400, $"{user} may launch no profile: none of their groups allows one. Add the user to a group whose policy allows a profile; users created from now on join Auth:DefaultGroup when it is set and exists.");
    }
}
