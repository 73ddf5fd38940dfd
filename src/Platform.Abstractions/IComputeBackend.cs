using System.Text.Json;

namespace DevPlatform.Abstractions;

/// <summary>
/// Runs environments (JupyterHub's Spawner shape). <see cref="StartAsync"/> returns once the workload is
/// launched, with where it listens and an opaque state the platform stores, so that after a restart it
/// can <see cref="PollAsync"/> and <see cref="StopAsync"/> the same workload again. Readiness is the
/// platform's job (it polls the endpoint).
/// </summary>
public interface IComputeBackend : INamedStrategy
{
    Task<BackendStart> StartAsync(EnvironmentSpec spec, IProgress<string> progress, CancellationToken cancellationToken);

    Task<BackendStatus> PollAsync(EnvironmentSpec spec, JsonElement state, CancellationToken cancellationToken);

    /// <summary>
    /// Whether what answers at the workload's endpoint is the workload itself. A pod's IP is its own (the default); a port on
    /// a shared host can be taken by another process between being chosen and the workload binding it, and that process's
    /// answer must not make the start ready.
    /// </summary>
    Task<bool> ServesOwnEndpointAsync(EnvironmentSpec spec, JsonElement state, CancellationToken cancellationToken) => Task.FromResult(true);

    /// <summary>
    /// Whether anything listens at the workload's endpoint yet, where the backend can tell without connecting (a port on
    /// this host): readiness connects only once something does. A refused connection costs an exception through the HTTP
    /// stack, and a hundred starts probing every few milliseconds spent a fifth of the host's time on them. The default
    /// (true) connects at every probe.
    /// </summary>
    Task<bool> ListensAsync(EnvironmentSpec spec, JsonElement state, CancellationToken cancellationToken) => Task.FromResult(true);

    /// <summary>Stops the workload and removes what was created for it; stopping a stopped workload is fine.</summary>
    Task StopAsync(EnvironmentSpec spec, JsonElement state, CancellationToken cancellationToken);

    /// <summary>CPU and memory actually in use, where the backend can tell.</summary>
    Task<BackendUsage?> GetUsageAsync(EnvironmentSpec spec, JsonElement state, CancellationToken cancellationToken);

    /// <summary>The last <paramref name="maxBytes"/> of the workload's output. <paramref name="state"/> is undefined (<c>default</c>) when the start failed before the backend returned one: say what can be said (e.g. a failed install's output), or nothing.</summary>
    Task<string> ReadLogsAsync(EnvironmentSpec spec, JsonElement state, int maxBytes, CancellationToken cancellationToken);

    /// <summary>
    /// Stops anything of this backend's whose environment the platform does not own; returns those ids. The backend looks
    /// first and then asks <paramref name="owned"/> about what it found, so a start recorded after the platform's last look
    /// (its row is written before its workload) is never taken for a stray.
    /// </summary>
    Task<IReadOnlyList<Guid>> StopStraysAsync(OwnedEnvironments owned, CancellationToken cancellationToken);
}
