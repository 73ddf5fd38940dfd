namespace DevPlatform.Abstractions;

/// <param name="Running">The workload is alive.</param>
/// <param name="Detail">Why it is not (exit code, signal, not found), for the user.</param>
public sealed record BackendStatus(bool Running, string? Detail = null)
{
    /// <summary>Not running yet but on its way (a pod waiting for a node or pulling its image): a start carried on by another host keeps waiting for it.</summary>
    public bool Starting { get; init; }
}
