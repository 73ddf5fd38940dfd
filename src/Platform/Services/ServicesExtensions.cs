namespace DevPlatform.Services;

internal static class ServicesExtensions
{
    /// <summary>Shared services: definitions, the supervisor that keeps them running, and their proxy.</summary>
    public static IHostApplicationBuilder AddSharedServices(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<ServiceOptions>(builder.Configuration.GetSection(ServiceOptions.Section));
        builder.Services.AddScoped<ServiceStore>();
        builder.Services.AddScoped<ServiceRunner>();
        builder.Services.AddSingleton<ServiceSupervisor>();
        builder.Services.AddHostedService(s => s.GetRequiredService<ServiceSupervisor>());
        return builder;
    }
}
