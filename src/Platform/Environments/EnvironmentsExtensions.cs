using DevPlatform.Abstractions;

namespace DevPlatform.Environments;

internal static class EnvironmentsExtensions
{
    public static IHostApplicationBuilder AddEnvironments(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<EnvironmentOptions>(builder.Configuration.GetSection(EnvironmentOptions.Section));
        builder.Services.AddScoped<LaunchPolicy>();
        builder.Services.AddScoped<LaunchOptions>();
        builder.Services.AddScoped<GroupSpend>();
        builder.Services.AddSingleton<EnvironmentEventStream>();
        builder.Services.AddSingleton<EnvironmentRecorder>();
        builder.Services.AddSingleton<EnvironmentLifecycle>();
        builder.Services.AddSingleton<ReadinessProbe>();
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented way to opt one client out of the defaults
        builder.Services.AddHttpClient(ReadinessProbe.ClientName, c => c.Timeout = TimeSpan.FromSeconds(5))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false })
            .RemoveAllLoggers() // each refused probe is a debug line of the probe's own, not an information line per attempt
            .RemoveAllResilienceHandlers(); // the probe polls on its own; a retry inside one look would only delay the next
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton<EnvironmentReconciler>();
        builder.Services.AddSingleton<BackendReadiness>();
        builder.Services.AddHealthChecks().AddCheck<BackendReadiness>("backend", tags: [ServiceDefaults.ServiceDefaultsExtensions.ReadyTag]);
        builder.Services.AddHostedService(s => s.GetRequiredService<EnvironmentReconciler>());
        builder.Services.AddHostedService<StopOnShutdown>();
        builder.Services.AddScoped<EnvironmentCuller>();
        builder.Services.AddSingleton<IPlatformJob, ReconcilerJob>();
        builder.Services.AddSingleton<IPlatformJob, IdleCullerJob>();
        builder.Services.AddSingleton<IPlatformJob, MaxAgeCullerJob>();
        return builder;
    }
}
