using DevPlatform.Kubernetes.Compute;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Tenancy;

/// <summary>The group policy's quotas for the kubernetes backend's per-group namespaces.</summary>
internal sealed class GroupQuotaSource(IServiceScopeFactory scopes) : IGroupQuotas
{
    public async Task<GroupQuota> FindAsync(string group, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
        var policy = await db.Groups.AsNoTracking().Where(g => g.Name == group).Select(g => g.Policy).FirstOrDefaultAsync(cancellationToken);
        return new GroupQuota(policy?.CpuQuota, policy?.MemoryQuota, policy?.StorageQuota);
    }
}
