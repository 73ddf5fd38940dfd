namespace DevPlatform.Catalog;

/// <summary>A size: Kubernetes quantities for CPU (<c>500m</c>, <c>2</c>) and memory (<c>4Gi</c>), and whole accelerators.</summary>
internal sealed record ProfileSize(
    string Name,
    string CpuRequest,
    string CpuLimit,
    string MemoryRequest,
    string MemoryLimit,
    int Accelerators = 0,
    string? DisplayName = null);
