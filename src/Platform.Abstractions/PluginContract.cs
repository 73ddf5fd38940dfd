namespace DevPlatform.Abstractions;

/// <summary>The version of this contract. A plugin built against another version is not loaded.</summary>
public static class PluginContract
{
    public const int Version = 1;
}
