using DevPlatform.Api;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Catalog.File;

/// <summary>Which pools, profiles and groups a catalog file manages, and when it last applied each.</summary>
internal static class CatalogFileApi
{
    public sealed record EntryResource(string ResourceType, string Name, string File, DateTimeOffset AppliedAt);

    public static RouteGroupBuilder MapCatalogFileApi(this RouteGroupBuilder api)
    {
        api.MapGet("/catalog-file/entries", (PlatformDbContext db, string? resourceType, int? offset, int? limit, CancellationToken ct) =>
        {
            var query = db.CatalogFileEntries.AsNoTracking();
            query = resourceType is null ? query : query.Where(e => e.ResourceType == resourceType);
            return new PageRequest(offset, limit).ApplyAsync(
                query.OrderBy(e => e.ResourceType).ThenBy(e => e.Name), e => new EntryResource(e.ResourceType, e.Name, e.File, e.AppliedAt), ct);
        }).WithTags("Catalog").WithName("ListCatalogFileEntries")
            .WithSummary("Entries a catalog file applied. At start-up the file re-applies an entry only when the file's entry changed; console edits to the rest stay.");
        return api;
    }

    /// <summary>The file that manages the entry, for the console's note; null when none does.</summary>
    public static async Task<string?> ManagedByAsync(this PlatformDbContext db, string resourceType, string name, CancellationToken cancellationToken) =>
        (await db.CatalogFileEntries.AsNoTracking().FirstOrDefaultAsync(e => e.ResourceType == resourceType && e.Name == name, cancellationToken))?.File;
}
