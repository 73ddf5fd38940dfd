using DevPlatform.Abstractions;
using Microsoft.Extensions.Options;

namespace DevPlatform.Environments;

/// <summary>The idle culler as a scheduled job (every minute).</summary>
internal sealed class IdleCullerJob : IPlatformJob
{
    public string Name => "idle-culler";

    public string Description => "Stops environments idle longer than their profile's idle timeout (warning the user first); homes are kept.";

    public TimeSpan DefaultInterval => TimeSpan.FromMinutes(1);

    public Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<EnvironmentCuller>().CullIdleAsync(cancellationToken);
}

/// <summary>The max-age culler as a scheduled job (every minute).</summary>
internal sealed class MaxAgeCullerJob : IPlatformJob
{
    public string Name => "max-age-culler";

    public string Description => "Stops environments that have run longer than their profile's maximum age (warning the user first); homes are kept.";

    public TimeSpan DefaultInterval => TimeSpan.FromMinutes(1);

    public Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<EnvironmentCuller>().CullAgedAsync(cancellationToken);
}

/// <summary>The reconciler's periodic pass as a scheduled job (every <c>Environments:ReconcileSeconds</c>).</summary>
internal sealed class ReconcilerJob(IOptions<EnvironmentOptions> options) : IPlatformJob
{
    public string Name => "reconciler";

    public string Description => "Notices environments whose workloads ended on their own and stops workloads no environment owns.";

    public TimeSpan DefaultInterval => TimeSpan.FromSeconds(options.Value.ReconcileSeconds);

    public Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<EnvironmentReconciler>().PassAsync(cancellationToken);
}
