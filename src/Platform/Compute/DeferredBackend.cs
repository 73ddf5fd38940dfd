using System.Text.Json;
using DevPlatform.Abstractions;

namespace DevPlatform.Compute;

/// <summary>
/// A backend known by name and built on first use: the Kubernetes backend is registered with every host, and building it
/// loads the Kubernetes client (~10 MiB of a host's memory) — a host on the local backend never uses it.
/// </summary>
internal sealed class DeferredBackend(string name, Func<IComputeBackend> build) : IComputeBackend, IDisposable
{
    private readonly Lazy<IComputeBackend> backend = new(build);

    public string Name => name;

    private IComputeBackend Backend => backend.Value;

    public Task<BackendStart> StartAsync(EnvironmentSpec spec, IProgress<string> progress, CancellationToken cancellationToken) =>
        Backend.StartAsync(spec, progress, cancellationToken);

    public Task<BackendStatus> PollAsync(EnvironmentSpec spec, JsonElement state, CancellationToken cancellationToken) =>
        Backend.PollAsync(spec, state, cancellationToken);

    public Task<bool> ServesOwnEndpointAsync(EnvironmentSpec spec, JsonElement state, CancellationToken cancellationToken) =>
        Backend.ServesOwnEndpointAsync(spec, state, cancellationToken);

    public Task<bool> ListensAsync(EnvironmentSpec spec, JsonElement state, CancellationToken cancellationToken) =>
        Backend.ListensAsync(spec, state, cancellationToken);

    public Task StopAsync(EnvironmentSpec spec, JsonElement state, CancellationToken cancellationToken) => Backend.StopAsync(spec, state, cancellationToken);

    public Task<BackendUsage?> GetUsageAsync(EnvironmentSpec spec, JsonElement state, CancellationToken cancellationToken) =>
        Backend.GetUsageAsync(spec, state, cancellationToken);

    public Task<string> ReadLogsAsync(EnvironmentSpec spec, JsonElement state, int maxBytes, CancellationToken cancellationToken) =>
        Backend.ReadLogsAsync(spec, state, maxBytes, cancellationToken);

    public Task<IReadOnlyList<Guid>> StopStraysAsync(OwnedEnvironments owned, CancellationToken cancellationToken) => Backend.StopStraysAsync(owned, cancellationToken);

    public void Dispose()
    {
        if (backend.IsValueCreated && backend.Value is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }
}
