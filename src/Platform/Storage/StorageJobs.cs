using DevPlatform.Abstractions;

namespace DevPlatform.Storage;

/// <summary>The storage scan as a scheduled job (every 30 minutes).</summary>
internal sealed class StorageScanJob : IPlatformJob
{
    public string Name => "storage-scan";

    public string Description => "Measures homes, shared and scratch folders; warns at soft limits (hard limits refuse launches).";

    public TimeSpan DefaultInterval => TimeSpan.FromMinutes(30);

    public Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<StorageScanner>().ScanAllAsync(cancellationToken);
}

/// <summary>Scratch clean-up as a scheduled job (daily).</summary>
internal sealed class ScratchCleanupJob : IPlatformJob
{
    public string Name => "scratch-cleanup";

    public string Description => "Deletes files in groups' scratch folders older than each group's retention, and deleted users' homes past their grace period; audited.";

    public TimeSpan DefaultInterval => TimeSpan.FromDays(1);

    public async Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var results = await services.GetRequiredService<ScratchCleaner>().CleanAsync(null, dryRun: false, Name, cancellationToken);
        var retired = services.GetRequiredService<Backups.RetiredUsers>().Purge();
        return $"{results.Count} scratch folder(s): removed {results.Sum(r => r.Result.Count)} file(s), {StorageScanner.Size(results.Sum(r => r.Result.Bytes))}; removed {retired} deleted user home(s) past their grace period.";
    }
}
