using System.Text.Json;
using DevPlatform.Abstractions;
using DevPlatform.Kubernetes.Compute;
using DevPlatform.Persistence;
using DevPlatform.Strategies;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Tenancy;

/// <summary>
/// The group policy's quotas for the kubernetes backend's per-group namespaces. The accelerator quota applies to
/// every extended resource a size of some profile asks its pool's kind for (whole GPUs, MIG slices, Neuron devices).
/// </summary>
internal sealed class GroupQuotaSource(IServiceScopeFactory scopes, NamedStrategies<IAcceleratorKind> kinds) : IGroupQuotas
{
    public async Task<GroupQuota> FindAsync(string group, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
        var policy = await db.Groups.AsNoTracking().Where(g => g.Name == group).Select(g => g.Policy).FirstOrDefaultAsync(cancellationToken);
        var resources = policy?.AcceleratorQuota is null ? [] : await AcceleratorResourcesAsync(db, cancellationToken);
        return new GroupQuota(policy?.CpuQuota, policy?.MemoryQuota, policy?.AcceleratorQuota, resources);
    }

    private async Task<IReadOnlyList<string>> AcceleratorResourcesAsync(PlatformDbContext db, CancellationToken cancellationToken)
    {
        var profiles = await db.Profiles.AsNoTracking().Include(p => p.Pool).ToListAsync(cancellationToken);
        var resources = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var profile in profiles)
        {
            if (kinds.Find(profile.Pool.AcceleratorKind) is not { } kind)
            {
                continue;
            }

            using var configuration = JsonDocument.Parse(profile.Pool.Configuration);
            foreach (var size in profile.Sizes)
            {
                resources.UnionWith(kind.Place(configuration.RootElement, size.Resources()).Resources.Keys);
            }
        }

        return [.. resources];
    }
}
