using DevPlatform.Api;
using DevPlatform.Persistence;
using DevPlatform.Resources;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Tenancy;

internal static class GroupsApi
{
    public static RouteGroupBuilder MapGroupsApi(this RouteGroupBuilder api)
    {
        var groups = NamedResourceEndpoints<GroupStore, Group, GroupSpec, GroupResource>.Map(api, "/groups", "Group", mapGet: false);
        groups.MapGet("/{name}", async (string name, PlatformDbContext db, CancellationToken ct) =>
            (await GroupResource.WithMemberCounts(db, db.Groups.Where(g => g.Name == name)).FirstOrDefaultAsync(ct))?.ToResource()
            ?? throw new Validation.ResourceNotFoundException("group", name)).WithName("GetGroup");
        groups.MapGet("/", ListAsync).WithName("ListGroups").WithSummary("Groups by name; filter with q (name contains) or member.");
        return api;
    }

    /// <summary>Members and policy of a group: admins, and the group's managers (who may not change its allowed profiles).</summary>
    public static RouteGroupBuilder MapGroupManagementApi(this RouteGroupBuilder api)
    {
        var managed = api.MapGroup("/groups").WithTags("Groups").RequireAuthorization(GroupManagerRequirement.Policy);
        managed.MapGet("/{name}/policy", async (string name, PlatformDbContext db, CancellationToken ct) =>
            GroupPolicySpec.From((await db.Groups.AsNoTracking().FirstOrDefaultAsync(g => g.Name == name, ct) ?? throw new Validation.ResourceNotFoundException("group", name)).Policy))
            .WithName("GetGroupPolicy");
        managed.MapPut("/{name}/policy", async (string name, GroupPolicySpec spec, GroupPolicyStore store, GroupStore groups, HttpContext http, CancellationToken ct) =>
        {
            await GroupManagerRequirement.CheckManagerKeepsProfilesAsync(http, name, spec, groups, ct);
            return (await store.ReplaceAsync(name, spec, Actor.Of(http.User), ct)).Policy;
        }).WithName("ReplaceGroupPolicy")
            .WithSummary("Allowed profiles, per-user running limit, CPU / memory / accelerator / storage quotas and monthly budget.");

        managed.MapGet("/{name}/members", ListMembersAsync).WithName("ListGroupMembers");
        managed.MapPut("/{name}/members/{user}", async (string name, string user, MembershipSpec? spec, MembershipStore store, HttpContext http, CancellationToken ct) =>
        {
            var (membership, outcome) = await store.PutAsync(name, user, spec ?? new MembershipSpec(), Actor.Of(http.User), ct);
            var resource = MemberResource.From(membership);
            return outcome == WriteOutcome.Created ? Results.Created($"/api/groups/{name}/members/{user}", resource) : Results.Ok(resource);
        }).WithName("PutGroupMember").WithSummary("Adds the user to the group, or changes their role (member or manager).");
        managed.MapDelete("/{name}/members/{user}", async (string name, string user, MembershipStore store, HttpContext http, CancellationToken ct) =>
        {
            await store.DeleteAsync(name, user, Actor.Of(http.User), ct);
            return Results.NoContent();
        }).WithName("DeleteGroupMember");
        return api;
    }

    private static Task<Page<GroupResource>> ListAsync(
        PlatformDbContext db, string? q, string? member, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var query = db.Groups.AsQueryable();
        query = q is null ? query : query.Where(g => g.Name.Contains(q));
        query = member is null ? query : query.Where(g => g.Memberships.Any(m => m.User.Name == member));
        return new PageRequest(offset, limit).ApplyAsync(GroupResource.WithMemberCounts(db, query.OrderBy(g => g.Name)), g => g.ToResource(), cancellationToken);
    }

    private static async Task<Page<MemberResource>> ListMembersAsync(
        string name, PlatformDbContext db, string? role, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var wanted = QueryEnum.Parse<MembershipRole>(role, "role");
        var query = db.Memberships.Where(m => m.Group.Name == name);
        query = wanted is null ? query : query.Where(m => m.Role == wanted);
        var page = await new PageRequest(offset, limit).ApplyAsync(
            query.OrderBy(m => m.User.Name).Select(MemberResource.Projection), wanted is null ? KeptCounts.Members(db, name) : null, m => m, cancellationToken);
        if (page.Items.Count == 0 && !await db.Groups.AnyAsync(g => g.Name == name, cancellationToken))
        {
            throw new Validation.ResourceNotFoundException("group", name);
        }

        return page;
    }
}
