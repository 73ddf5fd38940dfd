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
        builder.Services.AddSingleton<Backups.IBackupTarget>(s =>
        {
            var options = s.GetRequiredService<Microsoft.Extensions.Options.IOptions<Backups.BackupOptions>>().Value;
            return options.Target switch
            {
                "s3" when options.S3.Bucket.Length > 0 => new Backups.S3BackupTarget(options.S3),
                "s3" => throw new Hosting.StartupException("Storage:Backups:Target is 's3' but Storage:Backups:S3:Bucket is empty; name the bucket."),
                "directory" => new Backups.DirectoryBackupTarget(Path.GetFullPath(options.Directory, s.GetRequiredService<IHostEnvironment>().ContentRootPath)),
                _ => throw new Hosting.StartupException($"Storage:Backups:Target '{options.Target}' is not 'directory' or 's3'."),
            };
        });
        builder.Services.AddSingleton<IPlatformJob, Backups.HomeBackupJob>();
        builder.Services.AddScoped<Backups.DormantHomes>();
        builder.Services.AddScoped<Backups.RetiredUsers>();
        builder.Services.AddSingleton<IPlatformJob, Backups.DormantHomesJob>();
        return builder;
    }
}
