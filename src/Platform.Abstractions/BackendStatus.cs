namespace DevPlatform.Abstractions;

/// <param name="Running">The workload is alive.</param>
/// <param name="Detail">Why it is not (exit code, signal, not found), for the user.</param>
public sealed record BackendStatus(bool Running, string? Detail = null);
