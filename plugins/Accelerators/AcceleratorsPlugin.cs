using DevPlatform.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DevPlatform.Plugins.Accelerators;

/// <summary>The hardware tiers pools can be built on.</summary>
public sealed class AcceleratorsPlugin : IPlatformPlugin
{
    public PluginManifest Manifest { get; } = new(
        "devplatform.accelerators", "1.0.0", PluginContract.Version, "Hardware tiers for compute pools: CPU, memory-optimised, NVIDIA GPUs (whole, time-sliced, MIG) and AWS Neuron.");

    public void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAcceleratorKind, CpuKind>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAcceleratorKind, MemoryOptimisedKind>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAcceleratorKind, NvidiaGpuKind>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAcceleratorKind, NvidiaTimeSlicingKind>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAcceleratorKind, NvidiaMigKind>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAcceleratorKind, AwsNeuronKind>());
    }
}
