using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace DevPlatform.Plugins.Storage;

/// <summary>
/// Homes and group folders on the host's disk (the embedded default). The root is <c>Storage:LocalDisk:Root</c>, else
/// the local compute backend's root, so both see the same homes.
/// </summary>
internal sealed class LocalDiskStorage(IConfiguration configuration, IHostEnvironment host) : DirectoryTreeStorage(() => Path.GetFullPath(
    configuration["Storage:LocalDisk:Root"] ?? configuration["Compute:Local:Root"] ?? ".devplatform/local", host.ContentRootPath))
{
    public override string Name => "local-disk";

    public override string DisplayName => "Local disk";
}
