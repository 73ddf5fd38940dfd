using System.Text.Json;
using System.Text.Json.Nodes;
using DevPlatform.Abstractions;
using DevPlatform.Catalog;
using DevPlatform.Kubernetes.Cluster;
using DevPlatform.Persistence;
using DevPlatform.Strategies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DevPlatform.Compute;

/// <summary>The Karpenter NodePools, EC2NodeClasses and device plugin configuration for the pools in the database.</summary>
internal sealed class ClusterRender(PlatformDbContext db, NamedStrategies<IAcceleratorKind> kinds, IOptions<ClusterSettings> settings)
{
    public async Task<IReadOnlyList<JsonObject>> RenderAsync(CancellationToken cancellationToken)
    {
        var pools = await db.Pools.AsNoTracking().OrderBy(p => p.Name).ToListAsync(cancellationToken);
        var render = new List<RenderPool>();
        foreach (var pool in pools)
        {
            var kind = kinds.Find(pool.AcceleratorKind)
                ?? throw new InvalidOperationException($"Pool '{pool.Name}' names accelerator kind '{pool.AcceleratorKind}', which no loaded plugin provides.");
            using var configuration = JsonDocument.Parse(pool.Configuration);
            render.Add(new RenderPool(pool.Name, [pool.CapacityType == CapacityType.Spot ? "spot" : "on-demand"], kind.DescribeNodes(pool.Name, configuration.RootElement)));
        }

        return ClusterManifests.Render(render, settings.Value);
    }
}
