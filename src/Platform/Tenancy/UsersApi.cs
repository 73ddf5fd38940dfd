using DevPlatform.Api;
using DevPlatform.Persistence;
using DevPlatform.Resources;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Tenancy;

internal static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users");
        users.MapGet("/", ListAsync).WithName("ListUsers").WithSummary("Users by name; filter with q (name or display name contains), group, admin, disabled.");
        users.MapGet("/{name}", async (string name, UserStore store, CancellationToken ct) => UserResource.From(await store.GetAsync(name, ct)))
            .WithName("GetUser");
        users.MapPost("/", async (UserSpec spec, UserStore store, HttpContext http, CancellationToken ct) =>
        {
            var (user, _) = await store.WriteAsync(WriteMode.Create, null, spec, Actor.Of(http.User), ct);
            return Results.Created($"/api/users/{user.Name}", UserResource.From(user));
        }).WithName("CreateUser");
        users.MapPut("/{name}", async (string name, UserSpec spec, UserStore store, HttpContext http, CancellationToken ct) =>
            UserResource.From((await store.WriteAsync(WriteMode.Replace, name, spec, Actor.Of(http.User), ct)).Entity))
            .WithName("ReplaceUser");
        users.MapDelete("/{name}", async (string name, UserStore store, HttpContext http, CancellationToken ct) =>
        {
            await store.DeleteAsync(name, Actor.Of(http.User), ct);
            return Results.NoContent();
        }).WithName("DeleteUser");
        return api;
    }

    private static Task<Page<UserResource>> ListAsync(
        PlatformDbContext db, string? q, string? group, bool? admin, bool? disabled, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var query = db.Users.Include(u => u.Memberships).ThenInclude(m => m.Group).AsNoTracking().AsSplitQuery();
        var pattern = q is null ? null : LikePattern.Containing(q);
        query = pattern is null ? query : query.Where(u => EF.Functions.ILike(u.Name, pattern, "\\") || (u.DisplayName != null && EF.Functions.ILike(u.DisplayName, pattern, "\\")));
        query = group is null ? query : query.Where(u => u.Memberships.Any(m => m.Group.Name == group));
        query = admin is null ? query : query.Where(u => u.Admin == admin);
        query = disabled is null ? query : query.Where(u => u.Disabled == disabled);
        return new PageRequest(offset, limit).ApplyAsync(query.OrderBy(u => u.Name), UserResource.From, cancellationToken);
    }
}
