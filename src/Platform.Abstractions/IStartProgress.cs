namespace DevPlatform.Abstractions;

/// <summary>
/// What <see cref="IComputeBackend.StartAsync"/> is given as its progress. A backend whose start waits after creating the
/// workload (for a node, an image pull) calls <see cref="CreatedAsync"/> as soon as the objects exist: the platform records
/// the state at once, so that if this host stops mid-start another host (or this one restarted) carries the start on with
/// <see cref="IComputeBackend.PollAsync"/> — the user's start is not lost. Once reported, a start cancelled by the platform
/// need not remove what it created (the platform stops it with the recorded state when the start is abandoned; when the
/// host is only shutting down it is left running). Backends that do not call it keep the old behaviour: they remove what
/// they created on any failure or cancellation.
/// </summary>
public interface IStartProgress : IProgress<string>
{
    Task CreatedAsync(BackendStart created, CancellationToken cancellationToken);
}
