namespace DevPlatform.Abstractions;

/// <summary>
/// The version of this contract. A plugin built against another version is not loaded. 2: storage providers ensure,
/// scan and clean their areas (a storage plugin for version 1 cannot serve homes).
/// </summary>
public static class PluginContract
{
    public const int Version = 2;
}
