using DevPlatform.Api;
using DevPlatform.Persistence;
using DevPlatform.Resources;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Catalog;

internal static class PoolsApi
{
    public static RouteGroupBuilder MapPoolsApi(this RouteGroupBuilder api)
    {
        var pools = NamedResourceEndpoints<PoolStore, ComputePool, PoolSpec, PoolResource>.Map(api, "/pools", "Pool");
        pools.MapGet("/", ListAsync).WithName("ListPools").WithSummary("Compute pools by name; filter with q (name contains), acceleratorKind, capacityType.");
        return api;
    }

    private static Task<Page<PoolResource>> ListAsync(
        PlatformDbContext db, string? q, string? acceleratorKind, string? capacityType, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var capacity = QueryEnum.Parse<CapacityType>(capacityType, "capacityType");
        var query = db.Pools.AsNoTracking();
        query = q is null ? query : query.Where(p => p.Name.Contains(q));
        query = acceleratorKind is null ? query : query.Where(p => p.AcceleratorKind == acceleratorKind);
        query = capacity is null ? query : query.Where(p => p.CapacityType == capacity);
        return new PageRequest(offset, limit).ApplyAsync(query.OrderBy(p => p.Name), PoolResource.From, cancellationToken);
    }
}
