namespace DevPlatform.Environments;

internal static class EnvironmentsExtensions
{
    public static IHostApplicationBuilder AddEnvironments(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<EnvironmentOptions>(builder.Configuration.GetSection(EnvironmentOptions.Section));
        builder.Services.AddScoped<LaunchPolicy>();
        builder.Services.AddScoped<GroupSpend>();
        builder.Services.AddSingleton<EnvironmentEventStream>();
        builder.Services.AddSingleton<EnvironmentRecorder>();
        builder.Services.AddSingleton<EnvironmentLifecycle>();
        builder.Services.AddSingleton<ReadinessProbe>();
        builder.Services.AddHttpClient(ReadinessProbe.ClientName, c => c.Timeout = TimeSpan.FromSeconds(5))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false });
        builder.Services.AddHostedService<EnvironmentReconciler>();
        return builder;
    }
}
