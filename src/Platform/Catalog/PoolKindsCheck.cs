using DevPlatform.Abstractions;
using DevPlatform.Hosting;
using DevPlatform.Persistence;
using DevPlatform.Strategies;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Catalog;

/// <summary>Start-up stops when a stored pool names an accelerator kind no loaded plugin provides.</summary>
internal sealed class PoolKindsCheck(IServiceScopeFactory scopes, NamedStrategies<IAcceleratorKind> kinds) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
        var pools = await db.Pools.AsNoTracking().Select(p => new { p.Name, p.AcceleratorKind }).ToListAsync(cancellationToken);
        var broken = pools.FirstOrDefault(p => kinds.Find(p.AcceleratorKind) is null);
        if (broken is not null)
        {
            throw new StartupException(
                $"Pool '{broken.Name}' names an accelerator kind no loaded plugin provides: {kinds.Unknown(broken.AcceleratorKind, "accelerator kind")}. " +
                "Load the plugin that provides it, or change or delete the pool.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
