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
        return builder;
    }
}
