using System.Globalization;
using System.Text.Json.Nodes;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Hub.Rest;

/// <summary>
/// <c>GET /hub/api/user</c> (who am I, for any token) and <c>POST /hub/api/users/{name}/activity</c> (what
/// jupyterhub-singleuser and idle cullers report), as JupyterHub 3.0 answers them.
/// </summary>
internal static class HubActivityApi
{
    public static RouteGroupBuilder MapHubActivity(this RouteGroupBuilder api)
    {
        api.MapGet("/user", WhoAmIAsync);
        api.MapPost("/users/{name}/activity", ActivityAsync);
        return api;
    }

    private static async Task<IResult> WhoAmIAsync(HttpContext http, HubCallers callers, HubServerNames names, PlatformDbContext db, CancellationToken ct)
    {
        var caller = await callers.ResolveAsync(http, ct);
        if (caller.Name is null)
        {
            throw new HubApiException(403, "Forbidden");
        }

        JsonObject model;
        if (!caller.IsUser)
        {
            // the operator's admin token, as JupyterHub shows an API-only admin service (no URL, command or process of its own)
            model = new JsonObject { ["kind"] = "service", ["name"] = caller.Name, ["admin"] = true };
            if (caller.Scopes.Holds("read:services"))
            {
                (model["roles"], model["url"], model["prefix"], model["command"], model["pid"], model["info"], model["display"]) =
                    (new JsonArray("admin"), string.Empty, string.Empty, string.Empty, 0, string.Empty, string.Empty);
            }
        }
        else
        {
            var user = await HubUserReader.ByNameAsync(db, caller.Name, ct) ?? throw new HubApiException(403, "Forbidden");
            var identify = caller with { Scopes = caller.Scopes.With([$"read:users:name!user={caller.Name}", $"read:users:groups!user={caller.Name}"]) };
            model = new HubUserModels(identify, names).User(user);
        }

        model["session_id"] = caller.Token?.SessionId;
        model["scopes"] = new JsonArray(caller.Scopes.Expanded.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
        return HubJson.Write(model);
    }

    private static async Task<IResult> ActivityAsync(string name, HttpContext http, HubCallers callers, HubServerNames names, PlatformDbContext db, TimeProvider time, CancellationToken ct)
    {
        var caller = await callers.ResolveAsync(http, ct);
        var found = await HubData.UserAsync(db, name, ct);
        caller.Require(HubData.Target(name, found), "users:activity");
        var user = found is null ? null : await db.Users.FirstAsync(u => u.Id == found.Id, ct);
        if (user is null)
        {
            throw new HubApiException(404, $"No such user: '{name}'");
        }

        var body = HubJson.Object(await HubJson.ReadAsync(http.Request, ct), "body must be a json dict");
        var now = time.GetUtcNow();
        var userActivity = body["last_activity"] is { } stamp && !IsEmpty(stamp) ? Parse(stamp, now) : (DateTimeOffset?)null;
        var servers = body["servers"];
        if (userActivity is null && (servers is null || (servers is JsonObject o && o.Count == 0)))
        {
            throw new HubApiException(400, "body must contain at least one of `last_activity` or `servers`");
        }

        const string shape = "servers must be a dict of the form {server_name: {last_activity: timestamp}}";
        var updates = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        if (servers is not null && servers is not JsonObject)
        {
            throw new HubApiException(400, shape);
        }

        var environments = await db.Environments.Where(e => e.UserId == user.Id).ToListAsync(ct);
        foreach (var (server, info) in servers as JsonObject ?? [])
        {
            var environment = environments.FirstOrDefault(e => e.Name == server) ?? environments.FirstOrDefault(e => e.Name == names.EnvironmentName(server))
                ?? throw new HubApiException(400, $"No such server '{server}' for user {name}");
            if (info is not JsonObject entry || entry["last_activity"] is not { } at)
            {
                throw new HubApiException(400, shape);
            }

            updates[environment.Name] = Parse(at, now);
        }

        if (userActivity is { } latest && (user.LastActivityAt is null || latest > user.LastActivityAt))
        {
            user.LastActivityAt = latest;
        }

        foreach (var environment in environments.Where(e => updates.ContainsKey(e.Name) && (e.LastActivityAt is null || e.LastActivityAt < updates[e.Name])))
        {
            environment.LastActivityAt = updates[environment.Name];
        }

        await db.SaveChangesAsync(ct);
        return HubJson.Empty(200);
    }

    private static bool IsEmpty(JsonNode node) => node.GetValueKind() == System.Text.Json.JsonValueKind.String && node.GetValue<string>().Length == 0;

    /// <summary>An ISO 8601 time (UTC when it has no offset); 400 when unreadable or more than 59 minutes ahead.</summary>
    private static DateTimeOffset Parse(JsonNode stamp, DateTimeOffset now)
    {
        var text = stamp.GetValueKind() == System.Text.Json.JsonValueKind.String ? stamp.GetValue<string>() : stamp.ToJsonString();
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            throw new HubApiException(400, $"Not a valid timestamp: '{text}'");
        }

        return at - now > TimeSpan.FromMinutes(59)
            ? throw new HubApiException(400, $"Rejecting activity from more than an hour in the future: {HubJson.Time(at)}")
            : at;
    }
}
