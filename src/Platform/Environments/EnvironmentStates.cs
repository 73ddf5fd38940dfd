namespace DevPlatform.Environments;

internal static class EnvironmentStates
{
    /// <summary>States that hold resources: they count against quotas and limits.</summary>
    public static readonly EnvironmentState[] Active = [EnvironmentState.Pending, EnvironmentState.Starting, EnvironmentState.Running, EnvironmentState.Stopping];

    /// <summary>States counted by the hub-wide concurrent-start limit.</summary>
    public static readonly EnvironmentState[] Starting = [EnvironmentState.Pending, EnvironmentState.Starting];

    public static bool IsActive(this EnvironmentState state) => Active.Contains(state);
}
