using DevPlatform.Abstractions;

namespace DevPlatform.Catalog;

/// <summary>A size: Kubernetes quantities for CPU (<c>500m</c>, <c>2</c>) and memory (<c>4Gi</c>), and whole accelerators.</summary>
internal sealed record ProfileSize(
    string Name,
    string CpuRequest,
    string CpuLimit,
    string MemoryRequest,
    string MemoryLimit,
    int Accelerators = 0,
    string? DisplayName = null)
{
    /// <summary>The size in base units; its quantities must already be valid.</summary>
    public EnvironmentResources Resources() => new(
        ResourceQuantity.Parse(CpuRequest).Value, ResourceQuantity.Parse(CpuLimit).Value,
        (long)ResourceQuantity.Parse(MemoryRequest).Value, (long)ResourceQuantity.Parse(MemoryLimit).Value, Accelerators);
}
