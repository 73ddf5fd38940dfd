using DevPlatform.Api;
using DevPlatform.Persistence;
using DevPlatform.Resources;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Catalog;

internal static class PoolsApi
{
    public static RouteGroupBuilder MapPoolsApi(this RouteGroupBuilder api)
    {
        var pools = api.MapGroup("/pools").WithTags("Pools");
        pools.MapGet("/", ListAsync).WithName("ListPools").WithSummary("Compute pools by name; filter with q (name contains), acceleratorKind, capacityType.");
        pools.MapGet("/{name}", async (string name, PoolStore store, CancellationToken ct) => PoolResource.From(await store.GetAsync(name, ct)))
            .WithName("GetPool");
        pools.MapPost("/", async (PoolSpec spec, PoolStore store, HttpContext http, CancellationToken ct) =>
        {
            var (pool, _) = await store.WriteAsync(WriteMode.Create, null, spec, Actor.Of(http.User), ct);
            return Results.Created($"/api/pools/{pool.Name}", PoolResource.From(pool));
        }).WithName("CreatePool");
        pools.MapPut("/{name}", async (string name, PoolSpec spec, PoolStore store, HttpContext http, CancellationToken ct) =>
            PoolResource.From((await store.WriteAsync(WriteMode.Replace, name, spec, Actor.Of(http.User), ct)).Entity))
            .WithName("ReplacePool");
        pools.MapDelete("/{name}", async (string name, PoolStore store, HttpContext http, CancellationToken ct) =>
        {
            await store.DeleteAsync(name, Actor.Of(http.User), ct);
            return Results.NoContent();
        }).WithName("DeletePool").WithSummary("Deletes a pool no profile uses (409 names the profiles otherwise).");
        return api;
    }

    private static Task<Page<PoolResource>> ListAsync(
        PlatformDbContext db, string? q, string? acceleratorKind, CapacityType? capacityType, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var query = db.Pools.AsNoTracking();
        query = q is null ? query : query.Where(p => p.Name.Contains(q));
        query = acceleratorKind is null ? query : query.Where(p => p.AcceleratorKind == acceleratorKind);
        query = capacityType is null ? query : query.Where(p => p.CapacityType == capacityType);
        return new PageRequest(offset, limit).ApplyAsync(query.OrderBy(p => p.Name), PoolResource.From, cancellationToken);
    }
}
