using DevPlatform.Abstractions;

namespace DevPlatform.Storage;

internal static class StorageExtensions
{
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<StorageOptions>(builder.Configuration.GetSection(StorageOptions.Section));
        builder.Services.AddSingleton<SelectedStorage>();
        builder.Services.AddScoped<StorageScanner>();
        builder.Services.AddScoped<ScratchCleaner>();
        builder.Services.AddSingleton<IPlatformJob, StorageScanJob>();
        builder.Services.AddSingleton<IPlatformJob, ScratchCleanupJob>();
        builder.Services.Configure<Backups.BackupOptions>(builder.Configuration.GetSection(Backups.BackupOptions.Section));
        builder.Services.AddSingleton<Backups.HomeBackups>();
        builder.Services.AddSingleton<IPlatformJob, Backups.HomeBackupJob>();
        builder.Services.AddScoped<Backups.DormantHomes>();
        builder.Services.AddSingleton<IPlatformJob, Backups.DormantHomesJob>();
        return builder;
    }
}
