using DevPlatform.Api;
using DevPlatform.Persistence;
using DevPlatform.Resources;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Catalog;

internal static class ProfilesApi
{
    public static RouteGroupBuilder MapProfilesApi(this RouteGroupBuilder api)
    {
        var profiles = NamedResourceEndpoints<ProfileStore, Profile, ProfileSpec, ProfileResource>.Map(api, "/profiles", "Profile");
        profiles.MapGet("/", ListAsync).WithName("ListProfiles").WithSummary("Profiles by name; filter with q (name contains) or pool.");
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
