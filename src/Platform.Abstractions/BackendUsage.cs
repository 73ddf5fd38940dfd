namespace DevPlatform.Abstractions;

/// <summary>Resources in use now: CPU in cores (averaged since the previous sample, or since the start on a first look), memory in bytes.</summary>
public sealed record BackendUsage(decimal CpuCores, long MemoryBytes);
