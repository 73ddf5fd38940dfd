using DevPlatform.Catalog.File;

namespace DevPlatform.Catalog;

internal static class CatalogExtensions
{
    public static IHostApplicationBuilder AddCatalog(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<PoolStore>();
        builder.Services.AddScoped<ProfileStore>();
        builder.Services.AddScoped<CatalogFileApplier>();
        builder.Services.Configure<CatalogFileOptions>(builder.Configuration.GetSection(CatalogFileOptions.Section));
        builder.Services.AddHostedService<CatalogFileOnStartup>();
        builder.Services.AddSingleton<CatalogFileHealthCheck>();
        builder.Services.AddHealthChecks().AddCheck<CatalogFileHealthCheck>("catalog", tags: [DevPlatform.ServiceDefaults.ServiceDefaultsExtensions.ReadyTag]);
        builder.Services.AddHostedService<PoolKindsCheck>();
        return builder;
    }

    public static RouteGroupBuilder MapCatalogApi(this RouteGroupBuilder api) => api.MapPoolsApi().MapProfilesApi().MapCatalogFileApi();
}
