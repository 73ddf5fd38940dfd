using System.Text.Json;
using System.Text.Json.Nodes;
using DevPlatform.Environments;
using DevPlatform.Persistence;
using DevPlatform.Resources;
using DevPlatform.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Hub.Rest;

/// <summary><c>/hub/api/users</c> and <c>/hub/api/users/{name}</c> (jupyterhub/apihandlers/users.py) over our users.</summary>
internal static class HubUsersApi
{
    private static readonly Dictionary<string, JsonValueKind> UserKeys = new(StringComparer.Ordinal)
    {
        ["name"] = JsonValueKind.String, ["admin"] = JsonValueKind.True, ["groups"] = JsonValueKind.Array,
        ["roles"] = JsonValueKind.Array, ["auth_state"] = JsonValueKind.Object,
    };

    public static RouteGroupBuilder MapHubUsers(this RouteGroupBuilder api)
    {
        api.MapGet("/users", ListAsync);
        api.MapPost("/users", CreateManyAsync);
        api.MapGet("/users/{name}", GetAsync);
        api.MapPost("/users/{name}", CreateAsync);
        api.MapMethods("/users/{name}", ["PATCH"], PatchAsync);
        api.MapDelete("/users/{name}", DeleteAsync);
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext http, HubCallers callers, HubServerNames names, PlatformDbContext db, string? state, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "name_filter")] string? nameFilter, CancellationToken ct)
    {
        var caller = await callers.ResolveAsync(http, ct);
        caller.Require(HubTarget.None, "list:users");
        var (offset, limit) = HubPaging.Read(http.Request);
        if (state is { Length: > 0 } && !HubUserFilter.States.Contains(state))
        {
            throw new HubApiException(400, $"Unrecognized state filter: '{state}'");
        }

        IReadOnlySet<string>? users = null, groups = null;
        if (!caller.Scopes.HoldsUnfiltered("list:users"))
        {
            if (caller.Scopes.Values("list:users", "server").Count > 0 || caller.Scopes.Values("list:users", "service").Count > 0)
            {
                throw new HubApiException(403, "Forbidden");
            }

            (users, groups) = (caller.Scopes.Values("list:users", "user"), caller.Scopes.Values("list:users", "group"));
        }

        var (page, total) = await HubUserReader.PageAsync(db, new HubUserFilter(state, users, groups, nameFilter), offset, limit,
            withTotal: HubPaging.Accepted(http.Request), ct); // only the paginated form says the total
        var models = new HubUserModels(caller, names);
        var stopped = IncludeStopped(http.Request);
        return HubPaging.Answer(http.Request, writer =>
        {
            writer.WriteStartArray();
            foreach (var user in page.Where(models.Sees))
            {
                models.WriteUser(writer, user, stopped);
            }

            writer.WriteEndArray();
        }, offset, limit, total);
    }

    private static async Task<IResult> GetAsync(string name, HttpContext http, HubCallers callers, HubServerNames names, PlatformDbContext db, CancellationToken ct)
    {
        var caller = await callers.ResolveAsync(http, ct);
        var view = await HubUserReader.ByNameAsync(db, name, ct);
        caller.Require(new HubTarget(name, Groups: view?.Groups), "read:users", "read:users:name", "read:servers", "read:users:groups", "read:users:activity", "read:roles:users");
        return view is null
            ? throw new HubApiException(404, "Not Found")
            : HubJson.Write(writer => new HubUserModels(caller, names).WriteUser(writer, view, IncludeStopped(http.Request)));
    }

    private static async Task<IResult> CreateAsync(
        string name, HttpContext http, HubCallers callers, HubServerNames names, UserStore store, DefaultGroup defaultGroup, CancellationToken ct)
    {
        var caller = await callers.ResolveAsync(http, ct);
        caller.Require(HubTarget.ForUser(name), "admin:users");
        var body = await HubJson.ReadAsync(http.Request, ct);
        var admin = false;
        if (body is not null)
        {
            var model = HubJson.Object(body, $"Invalid JSON data: {HubJson.Repr(body)}");
            HubJson.CheckKeys(model, "user", UserKeys);
            admin = model["admin"]?.GetValue<bool>() ?? false;
        }

        // One statement: the user, their membership of Auth:DefaultGroup (so they can start the default server) and the audit events.
        var created = await store.CreateManyAsync([new UserSpec(name, Admin: admin)], defaultGroup.Name, caller.Name ?? "anonymous", ct);
        if (created.Count == 0)
        {
            throw new HubApiException(409, $"User {name} already exists");
        }

        var (user, joined) = created[0];
        return HubJson.Write(new HubUserModels(caller, names).User(new HubUserView(user, joined is null ? [] : [joined], []), false), 201); // no servers yet
    }

    private static async Task<IResult> CreateManyAsync(
        HttpContext http, HubCallers callers, HubServerNames names, UserStore store, DefaultGroup defaultGroup, CancellationToken ct)
    {
        var caller = await callers.ResolveAsync(http, ct);
        caller.Require(HubTarget.None, "admin:users");
        var body = await HubJson.ReadAsync(http.Request, ct) as JsonObject;
        var requested = body is null ? [] : HubJson.Strings(body, "usernames", "usernames");
        if (requested.Count == 0)
        {
            throw new HubApiException(400, "Must specify at least one user to create");
        }

        body!.Remove("usernames");
        HubJson.CheckKeys(body, "user", UserKeys);
        var admin = body["admin"]?.GetValue<bool>() ?? false;
        var usernames = requested.Select(n => n.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        var invalid = new List<string>();
        foreach (var name in usernames)
        {
            if ((await store.ProblemsAsync(new UserSpec(name, Admin: admin), ct)).Any)
            {
                invalid.Add(name);
            }
        }

        if (invalid.Count > 0)
        {
            throw new HubApiException(400, invalid.Count == 1 ? $"Invalid username: {invalid[0]}" : $"Invalid usernames: {string.Join(", ", invalid)}");
        }

        // One statement for them all, each joining Auth:DefaultGroup; names that exist already are skipped, as JupyterHub does.
        var created = await store.CreateManyAsync([.. usernames.Select(n => new UserSpec(n, Admin: admin))], defaultGroup.Name, caller.Name ?? "anonymous", ct);
        if (created.Count == 0)
        {
            throw new HubApiException(409, $"All {requested.Count} users already exist");
        }

        var models = new HubUserModels(caller, names);
        return HubJson.Write(new JsonArray([.. created.Select(c => (JsonNode?)models.User(new HubUserView(c.User, c.Joined is null ? [] : [c.Joined], [])))]), 201); // no servers yet
    }

    private static async Task<IResult> PatchAsync(string name, HttpContext http, HubCallers callers, HubServerNames names, PlatformDbContext db, UserStore store, CancellationToken ct)
    {
        var (caller, user) = await HubData.RequireUserAsync(http, callers, db, name, null, "Not Found", "admin:users");

        var raw = await HubJson.ReadAsync(http.Request, ct);
        var body = HubJson.Object(raw, $"Invalid JSON data: {HubJson.Repr(raw)}");
        HubJson.CheckKeys(body, "user", UserKeys);
        if (body["name"]?.GetValue<string>() is { } rename && rename != name)
        {
            throw new HubApiException(400, await db.Users.AnyAsync(u => u.Name == rename, ct)
                ? $"User {rename} already exists, username must be unique"
                : $"Renaming users is not supported: DevPlatform names homes, environments and cost records after the user; create user {rename} instead.");
        }

        if (body.ContainsKey("groups") || body.ContainsKey("roles") || body.ContainsKey("auth_state"))
        {
            throw new HubApiException(400, "Only 'name' and 'admin' can be changed here: set groups with POST/DELETE /hub/api/groups/{group}/users; DevPlatform keeps no auth_state and assigns roles from admin and group management.");
        }

        if (body["admin"]?.GetValue<bool>() is { } admin)
        {
            var spec = store.ToSpec(user) with { Admin = admin };
            await store.WriteAsync(WriteMode.Replace, name, spec, caller.Name ?? "anonymous", ct);
        }

        var model = new HubUserModels(caller, names).User((await HubUserReader.ByNameAsync(db, name, ct))!);
        model["auth_state"] = null;
        return HubJson.Write(model);
    }

    private static async Task<IResult> DeleteAsync(string name, HttpContext http, HubCallers callers, PlatformDbContext db, UserStore store, EnvironmentLifecycle lifecycle, CancellationToken ct)
    {
        var (caller, user) = await HubData.RequireUserAsync(http, callers, db, name, null, "Not Found", "delete:users");

        if (caller.IsUser && caller.Name == name)
        {
            throw new HubApiException(400, "Cannot delete yourself!");
        }

        var environments = await db.Environments.AsNoTracking().Where(e => e.UserId == user.Id).ToListAsync(ct);
        if (environments.Any(e => e.State == EnvironmentState.Stopping))
        {
            throw new HubApiException(400, $"{name}'s server is in the process of stopping, please wait.");
        }

        foreach (var environment in environments)
        {
            await lifecycle.DeleteAsync(environment.Id, caller.Name ?? "anonymous", ct);
        }

        await store.DeleteAsync(name, caller.Name ?? "anonymous", ct);
        return HubJson.Empty(204);
    }

    public static bool IncludeStopped(HttpRequest request) =>
        request.Query["include_stopped_servers"].LastOrDefault() is { } value && !value.Equals("0", StringComparison.Ordinal) && !value.Equals("false", StringComparison.OrdinalIgnoreCase);
}
