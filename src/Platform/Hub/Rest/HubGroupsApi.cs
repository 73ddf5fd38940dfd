using System.Text.Json;
using System.Text.Json.Nodes;
using DevPlatform.Persistence;
using DevPlatform.Resources;
using DevPlatform.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Hub.Rest;

/// <summary>
/// <c>/hub/api/groups</c>, <c>/groups/{name}</c> and <c>/groups/{name}/users</c> (jupyterhub/apihandlers/groups.py)
/// over our groups and memberships; users join as members. Every name is checked before anything is stored.
/// </summary>
internal static class HubGroupsApi
{
    private static readonly Dictionary<string, JsonValueKind> GroupKeys = new(StringComparer.Ordinal)
    {
        ["name"] = JsonValueKind.String, ["users"] = JsonValueKind.Array, ["roles"] = JsonValueKind.Array,
    };

    public static RouteGroupBuilder MapHubGroups(this RouteGroupBuilder api)
    {
        api.MapGet("/groups", ListAsync);
        api.MapPost("/groups", CreateManyAsync);
        api.MapGet("/groups/{name}", GetAsync);
        api.MapPost("/groups/{name}", CreateAsync);
        api.MapDelete("/groups/{name}", DeleteAsync);
        api.MapPost("/groups/{name}/users", (string name, HttpContext http, HubCallers callers, PlatformDbContext db, MembershipStore memberships, CancellationToken ct) =>
            ChangeMembersAsync(name, add: true, http, callers, db, memberships, ct));
        api.MapDelete("/groups/{name}/users", (string name, HttpContext http, HubCallers callers, PlatformDbContext db, MembershipStore memberships, CancellationToken ct) =>
            ChangeMembersAsync(name, add: false, http, callers, db, memberships, ct));
        return api;
    }

    private static IQueryable<Group> Groups(PlatformDbContext db) =>
        db.Groups.AsNoTracking().Include(g => g.Memberships).ThenInclude(m => m.User).AsSplitQuery();

    private static async Task<Group> FindAsync(PlatformDbContext db, string name, CancellationToken ct) =>
        await Groups(db).FirstOrDefaultAsync(g => g.Name == name, ct) ?? throw new HubApiException(404, $"No such group: {name}");

    private static async Task<IResult> ListAsync(HttpContext http, HubCallers callers, PlatformDbContext db, CancellationToken ct)
    {
        var caller = await callers.ResolveAsync(http, ct);
        caller.Require(HubTarget.None, "list:groups");
        var query = Groups(db);
        if (!caller.Scopes.HoldsUnfiltered("list:groups"))
        {
            var names = caller.Scopes.Values("list:groups", "group");
            if (names.Count == 0)
            {
                throw new HubApiException(403, "Forbidden");
            }

            query = query.Where(g => names.Contains(g.Name));
        }

        var (offset, limit) = HubPaging.Read(http.Request);
        var total = await query.CountAsync(ct);
        var page = await query.OrderBy(g => g.Id).Skip(offset).Take(limit).ToListAsync(ct);
        return HubPaging.Answer(http.Request, new JsonArray(page.Select(g => (JsonNode?)HubModels.Group(caller, g)).ToArray()), offset, limit, total);
    }

    private static async Task<IResult> GetAsync(string name, HttpContext http, HubCallers callers, PlatformDbContext db, CancellationToken ct)
    {
        var caller = await callers.ResolveAsync(http, ct);
        caller.Require(HubTarget.ForGroup(name), "read:groups", "read:groups:name", "read:roles:groups");
        return HubJson.Write(HubModels.Group(caller, await FindAsync(db, name, ct)));
    }

    private static async Task<IResult> CreateAsync(string name, HttpContext http, HubCallers callers, PlatformDbContext db, GroupStore groups, MembershipStore memberships, CancellationToken ct)
    {
        var caller = await callers.ResolveAsync(http, ct);
        caller.Require(HubTarget.ForGroup(name), "admin:groups");
        var body = await HubJson.ReadAsync(http.Request, ct);
        var model = body is null ? [] : CheckModel(body);
        if (await db.Groups.AnyAsync(g => g.Name == name, ct))
        {
            throw new HubApiException(409, $"Group {name} already exists");
        }

        var users = await ExistingUsersAsync(db, HubJson.Strings(model, "users", "group.users"), ct);
        await CreateGroupsAsync(db, groups, memberships, [name], users, caller.Name ?? "anonymous", ct);
        return HubJson.Write(HubModels.Group(caller, await FindAsync(db, name, ct)), 201);
    }

    private static async Task<IResult> CreateManyAsync(HttpContext http, HubCallers callers, PlatformDbContext db, GroupStore groups, MembershipStore memberships, CancellationToken ct)
    {
        var caller = await callers.ResolveAsync(http, ct);
        caller.Require(HubTarget.None, "admin:groups");
        var body = await HubJson.ReadAsync(http.Request, ct) as JsonObject;
        var names = body is null ? [] : HubJson.Strings(body, "groups", "group names");
        if (names.Count == 0)
        {
            throw new HubApiException(400, "Must specify at least one group to create");
        }

        body!.Remove("groups");
        CheckModel(body);
        if (await db.Groups.Where(g => names.Contains(g.Name)).Select(g => g.Name).FirstOrDefaultAsync(ct) is { } existing)
        {
            throw new HubApiException(409, $"Group {existing} already exists");
        }

        var users = await ExistingUsersAsync(db, HubJson.Strings(body, "users", "group.users"), ct);
        await CreateGroupsAsync(db, groups, memberships, names.Distinct(StringComparer.Ordinal).ToList(), users, caller.Name ?? "anonymous", ct);
                var created = await Groups(db).Where(g => names.Contains(g.Name)).OrderBy(g => g.Id).ToListAsync(ct);
        return HubJson.Write(new JsonArray(created.Select(g => (JsonNode?)HubModels.Group(caller, g)).ToArray()), 201);
    }

    private static async Task<IResult> DeleteAsync(string name, HttpContext http, HubCallers callers, PlatformDbContext db, GroupStore groups, CancellationToken ct)
    {
        var caller = await callers.ResolveAsync(http, ct);
        caller.Require(HubTarget.ForGroup(name), "delete:groups");
        await FindAsync(db, name, ct);
        await groups.DeleteAsync(name, caller.Name ?? "anonymous", ct);
        return HubJson.Empty(204);
    }

    private static async Task<IResult> ChangeMembersAsync(string name, bool add, HttpContext http, HubCallers callers, PlatformDbContext db, MembershipStore memberships, CancellationToken ct)
    {
        var caller = await callers.ResolveAsync(http, ct);
        caller.Require(HubTarget.ForGroup(name), "groups");
        var group = await FindAsync(db, name, ct);
        var model = CheckModel(await HubJson.ReadAsync(http.Request, ct));
        if (!model.ContainsKey("users"))
        {
            throw new HubApiException(400, add ? "Must specify users to add" : "Must specify users to delete");
        }

        var users = await ExistingUsersAsync(db, HubJson.Strings(model, "users", "group.users"), ct);
        var members = group.Memberships.Select(m => m.User.Name).ToHashSet(StringComparer.Ordinal);
        var actor = caller.Name ?? "anonymous";
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            foreach (var user in users.Where(u => members.Contains(u) != add))
            {
                if (add)
                {
                    await memberships.PutAsync(name, user, new MembershipSpec(), actor, ct);
                }
                else
                {
                    await memberships.DeleteAsync(name, user, actor, ct);
                }
            }

            await transaction.CommitAsync(ct);
        }

        return HubJson.Write(HubModels.Group(caller, await FindAsync(db, name, ct)));
    }

    /// <summary>The group model's keys and types, as JupyterHub checks them; roles cannot be given to groups here.</summary>
    private static JsonObject CheckModel(JsonNode? body)
    {
        var model = HubJson.Object(body, $"Invalid JSON data: {HubJson.Repr(body)}");
        HubJson.CheckKeys(model, "group", GroupKeys);
        if (model["roles"] is JsonArray { Count: > 0 })
        {
            throw new HubApiException(400, "Roles cannot be assigned to groups in DevPlatform: a group's members launch under its policy, and group managers are set with PUT /api/groups/{group}/members/{user}.");
        }

        return model;
    }

    /// <summary>The users named, each of which must exist (400 "No such user" for the first that does not).</summary>
    private static async Task<List<string>> ExistingUsersAsync(PlatformDbContext db, List<string> names, CancellationToken ct)
    {
        var known = (await db.Users.Where(u => names.Contains(u.Name)).Select(u => u.Name).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        return names.FirstOrDefault(n => !known.Contains(n)) is { } missing
            ? throw new HubApiException(400, $"No such user: {missing}")
            : names.Distinct(StringComparer.Ordinal).ToList();
    }

    private static async Task CreateGroupsAsync(
        PlatformDbContext db, GroupStore groups, MembershipStore memberships, List<string> names, List<string> users, string actor, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var name in names)
        {
            await groups.WriteAsync(WriteMode.Create, null, new GroupSpec(name), actor, ct);
            foreach (var user in users)
            {
                await memberships.PutAsync(name, user, new MembershipSpec(), actor, ct);
            }
        }

        await transaction.CommitAsync(ct);
    }
}
