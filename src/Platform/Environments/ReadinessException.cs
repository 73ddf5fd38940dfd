namespace DevPlatform.Environments;

/// <summary>The workload died before it answered; the message says so, with its exit detail.</summary>
internal sealed class ReadinessException(string message) : Exception(message);
