namespace DevPlatform.Hub;

internal static class HubExtensions
{
    public static IHostApplicationBuilder AddHub(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<HubOptions>(builder.Configuration.GetSection(HubOptions.Section));
        builder.Services.AddScoped<HubTokenService>();
        builder.Services.AddSingleton<HubUrls>();
        return builder;
    }
}
