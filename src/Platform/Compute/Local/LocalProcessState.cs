namespace DevPlatform.Compute.Local;

/// <summary>What the local backend keeps per environment: enough to find, measure and stop the workload after a host restart.</summary>
internal sealed record LocalProcessState(int Pid, long StartTicks, int Port, string LogFile, string? Cgroup);
