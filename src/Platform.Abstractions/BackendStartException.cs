namespace DevPlatform.Abstractions;

/// <summary>A backend could not start the workload; the message is shown to the user as the failure reason, so say what to do.</summary>
public sealed class BackendStartException(string message) : Exception(message);
