using Microsoft.Extensions.Configuration;

namespace DevPlatform.Plugins.Storage;

/// <summary>
/// Homes and group folders on one Amazon EFS file system. The hub mounts it at <c>Storage:Efs:MountPath</c> (so scans,
/// clean-ups and backups run here); environments mount the same file system through the EFS CSI driver with one
/// sub-path per area (see docs/storage.md for why sub-paths rather than an access point per user).
/// </summary>
internal sealed class EfsStorage(IConfiguration configuration) : DirectoryTreeStorage(() =>
    configuration["Storage:Efs:MountPath"] is { Length: > 0 } path && Path.IsPathRooted(path) ? path
        : throw new InvalidOperationException("Storage:Provider 'efs' needs Storage:Efs:MountPath: the absolute path where the hub mounts the EFS file system (e.g. /srv/devplatform)."))
{
    public override string Name => "efs";

    public override string DisplayName => "Amazon EFS";
}
