namespace DevPlatform.Compute;

/// <summary>The backend could not start the workload; the message is shown to the user as the failure reason.</summary>
internal sealed class BackendStartException(string message) : Exception(message);
