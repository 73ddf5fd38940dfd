using DevPlatform.Abstractions;

namespace DevPlatform.Plugins.Storage;

/// <summary>Homes and shared folders as directories under a root on the host's disk (the embedded default).</summary>
internal sealed class LocalDiskStorage : IStorageProvider
{
    public string Name => "local-disk";

    public string DisplayName => "Local disk";
}
