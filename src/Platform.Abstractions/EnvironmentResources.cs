namespace DevPlatform.Abstractions;

/// <summary>Requests and limits in base units: CPU cores and bytes; whole accelerators.</summary>
public sealed record EnvironmentResources(decimal CpuRequest, decimal CpuLimit, long MemoryRequest, long MemoryLimit, int Accelerators);
