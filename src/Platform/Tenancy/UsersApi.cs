using DevPlatform.Api;
using DevPlatform.Persistence;
using DevPlatform.Resources;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Tenancy;

internal static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        var users = NamedResourceEndpoints<UserStore, User, UserSpec, UserResource>.Map(api, "/users", "User");
        users.MapGet("/", ListAsync).WithName("ListUsers").WithSummary("Users by name; filter with q (name or display name contains), group, admin, disabled.");
        return api;
    }

    private static Task<Page<UserResource>> ListAsync(
        PlatformDbContext db, string? q, string? group, bool? admin, bool? disabled, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var (matching, kept) = Filter(db, q, group, admin, disabled);
        return new PageRequest(offset, limit).ApplyAsync(UserResource.WithGroupNames(matching.OrderBy(u => u.Name)), kept, u => u.ToResource(), cancellationToken);
    }

    /// <summary>
    /// The users a list shows (the API's and the console's), and how many there are as the triggers keep it when the filters
    /// allow (all users, admins or not, a group's members; else null: counted).
    /// </summary>
    public static (IQueryable<User> Matching, IQueryable<RowCount>? Kept) Filter(PlatformDbContext db, string? q, string? group, bool? admin, bool? disabled)
    {
        var query = Search(db.Users, q);
        query = group is null ? query : query.Where(u => u.Memberships.Any(m => m.Group.Name == group));
        query = admin is null ? query : query.Where(u => u.Admin == admin);
        query = disabled is null ? query : query.Where(u => u.Disabled == disabled);
        var kept = q is not null || disabled is not null ? null
            : group is null ? KeptCounts.Users(db, admin)
            : admin is null ? KeptCounts.Members(db, group) // a user is a group's member once
            : null;
        return (query, kept);
    }

    /// <summary>Users whose name or display name contains <paramref name="q"/> (case-insensitively), or all of them.</summary>
    private static IQueryable<User> Search(IQueryable<User> users, string? q) =>
        (q is null ? null : LikePattern.Containing(q)) is { } pattern
            ? users.Where(u => EF.Functions.ILike(u.Name, pattern, "\\") || (u.DisplayName != null && EF.Functions.ILike(u.DisplayName, pattern, "\\")))
            : users;
}
