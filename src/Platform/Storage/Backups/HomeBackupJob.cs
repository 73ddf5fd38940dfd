using DevPlatform.Abstractions;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Storage.Backups;

/// <summary>Home snapshots as a scheduled job (daily), for every user; retention applies after each.</summary>
internal sealed class HomeBackupJob : IPlatformJob
{
    public string Name => "home-backups";

    public string Description => "Snapshots every user's home (tar.gz with SHA-256) and applies retention.";

    public TimeSpan DefaultInterval => TimeSpan.FromDays(1);

    public async Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var users = await services.GetRequiredService<PlatformDbContext>().Users.Where(u => !u.Disabled && u.HomeArchivedAt == null).Select(u => u.Name).ToListAsync(cancellationToken); // an archived home is kept by its archive
        var homes = services.GetRequiredService<HomeBackups>();
        long bytes = 0;
        foreach (var user in users)
        {
            bytes += (await homes.TakeAsync(user, cancellationToken)).Bytes;
        }

        return $"backed up {users.Count} home(s), {StorageScanner.Size(bytes)} compressed.";
    }
}

/// <summary>Dormant homes as a scheduled job (daily); does nothing unless configured.</summary>
internal sealed class DormantHomesJob : IPlatformJob
{
    public string Name => "dormant-homes";

    public string Description => "Warns users who have not signed in for a long time, then archives their homes (off unless configured).";

    public TimeSpan DefaultInterval => TimeSpan.FromDays(1);

    public Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<DormantHomes>().PassAsync(cancellationToken);
}
