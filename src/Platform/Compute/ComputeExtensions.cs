using DevPlatform.Abstractions;
using DevPlatform.Compute.Local;
using DevPlatform.Hosting;
using DevPlatform.Kubernetes.Client;
using DevPlatform.Kubernetes.Compute;
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
        builder.Services.Configure<KubernetesOptions>(builder.Configuration.GetSection(KubernetesOptions.Section));
        builder.Services.TryAddSingleton<IGroupQuotas, Tenancy.GroupQuotaSource>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IComputeBackend, DeferredBackend>(services =>
            new DeferredBackend(KubernetesBackend.BackendName, () => BuildKubernetesBackend(services))));
        builder.Services.AddSingleton(services => new Kubernetes.Services.KubernetesServices(services.GetRequiredService<IOptions<KubernetesOptions>>(), () => Connect(services)));
        builder.Services.AddSingleton(services =>
        {
            var name = services.GetRequiredService<IOptions<ComputeOptions>>().Value.Backend;
            var backends = services.GetRequiredService<NamedStrategies<IComputeBackend>>();
            return new SelectedBackend(backends.Find(name) ?? throw new StartupException($"Compute:Backend {backends.Unknown(name, "compute backend")}."));
        });
        return builder;
    }

    private static KubernetesBackend BuildKubernetesBackend(IServiceProvider services) => new(
        services.GetRequiredService<IOptions<KubernetesOptions>>(), () => Connect(services), services.GetRequiredService<IGroupQuotas>(),
        services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<KubernetesBackend>>());

    /// <summary>The configured kubeconfig, else the pod's service account, else $KUBECONFIG or ~/.kube/config (on first use, so the local backend never needs a cluster).</summary>
    public static Kubernetes.Client.ClusterApi Connect(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<KubernetesOptions>>().Value;
        return ClusterConnection.Connect(options.KubeConfig, options.Context, services.GetRequiredService<ILoggerFactory>().CreateLogger<Kubernetes.Client.ClusterApi>());
    }
}
