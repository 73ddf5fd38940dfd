using DevPlatform.Abstractions;
using DevPlatform.Compute.Local;
using DevPlatform.Hosting;
using DevPlatform.Strategies;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DevPlatform.Compute;

internal static class ComputeExtensions
{
    public static IHostApplicationBuilder AddCompute(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<ComputeOptions>(builder.Configuration.GetSection(ComputeOptions.Section));
        builder.Services.Configure<LocalOptions>(builder.Configuration.GetSection(LocalOptions.Section));
        builder.Services.Configure<Kubernetes.Cluster.ClusterSettings>(builder.Configuration.GetSection(Kubernetes.Cluster.ClusterSettings.Section));
        builder.Services.AddScoped<ClusterRender>();
        builder.Services.TryAddSingleton<LocalProcessBackend>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IComputeBackend, LocalProcessBackend>(s => s.GetRequiredService<LocalProcessBackend>()));
        builder.Services.AddSingleton(services =>
        {
            var name = services.GetRequiredService<IOptions<ComputeOptions>>().Value.Backend;
            var backends = services.GetRequiredService<NamedStrategies<IComputeBackend>>();
            return new SelectedBackend(backends.Find(name) ?? throw new StartupException($"Compute:Backend {backends.Unknown(name, "compute backend")}."));
        });
        return builder;
    }
}
