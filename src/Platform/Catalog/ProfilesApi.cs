using DevPlatform.Api;
using DevPlatform.Persistence;
using DevPlatform.Resources;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Catalog;

internal static class ProfilesApi
{
    public static RouteGroupBuilder MapProfilesApi(this RouteGroupBuilder api)
    {
        var profiles = api.MapGroup("/profiles").WithTags("Profiles");
        profiles.MapGet("/", ListAsync).WithName("ListProfiles").WithSummary("Profiles by name; filter with q (name contains) or pool.");
        profiles.MapGet("/{name}", async (string name, ProfileStore store, CancellationToken ct) => ProfileResource.From(await store.GetAsync(name, ct)))
            .WithName("GetProfile");
        profiles.MapPost("/", async (ProfileSpec spec, ProfileStore store, HttpContext http, CancellationToken ct) =>
        {
            var (profile, _) = await store.WriteAsync(WriteMode.Create, null, spec, Actor.Of(http.User), ct);
            return Results.Created($"/api/profiles/{profile.Name}", ProfileResource.From(profile));
        }).WithName("CreateProfile");
        profiles.MapPut("/{name}", async (string name, ProfileSpec spec, ProfileStore store, HttpContext http, CancellationToken ct) =>
            ProfileResource.From((await store.WriteAsync(WriteMode.Replace, name, spec, Actor.Of(http.User), ct)).Entity))
            .WithName("ReplaceProfile");
        profiles.MapDelete("/{name}", async (string name, ProfileStore store, HttpContext http, CancellationToken ct) =>
        {
            await store.DeleteAsync(name, Actor.Of(http.User), ct);
            return Results.NoContent();
        }).WithName("DeleteProfile").WithSummary("Deletes a profile no group policy allows (409 names the groups otherwise).");
        return api;
    }

    private static Task<Page<ProfileResource>> ListAsync(
        PlatformDbContext db, string? q, string? pool, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var query = db.Profiles.Include(p => p.Pool).AsNoTracking();
        query = q is null ? query : query.Where(p => p.Name.Contains(q));
        query = pool is null ? query : query.Where(p => p.Pool.Name == pool);
        return new PageRequest(offset, limit).ApplyAsync(query.OrderBy(p => p.Name), ProfileResource.From, cancellationToken);
    }
}
