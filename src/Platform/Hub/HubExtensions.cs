namespace DevPlatform.Hub;

internal static class HubExtensions
{
    public static IHostApplicationBuilder AddHub(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<HubOptions>(builder.Configuration.GetSection(HubOptions.Section));
        builder.Services.AddScoped<HubTokenService>();
        builder.Services.AddSingleton<HubUrls>();
        builder.Services.AddSingleton<Rest.HubServerNames>();
        builder.Services.AddScoped<Rest.HubCallers>();
        builder.Services.AddScoped<Rest.HubServerCalls>();
        builder.Services.AddScoped<Rest.HubProgress>();
        return builder;
    }
}
