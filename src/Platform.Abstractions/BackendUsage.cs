namespace DevPlatform.Abstractions;

/// <summary>Resources in use now: CPU in cores (averaged since the last sample), memory in bytes.</summary>
public sealed record BackendUsage(decimal CpuCores, long MemoryBytes);
