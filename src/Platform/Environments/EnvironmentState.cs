namespace DevPlatform.Environments;

/// <summary>Pending → Starting → Running → Stopping → Stopped, or Failed from any of the first three.</summary>
internal enum EnvironmentState
{
    Pending,
    Starting,
    Running,
    Stopping,
    Stopped,
    Failed,
}
