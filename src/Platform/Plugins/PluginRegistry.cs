namespace DevPlatform.Plugins;

/// <summary>The outcome of plugin loading, kept for the API and console.</summary>
internal sealed class PluginRegistry(IReadOnlyList<PluginStatus> statuses, IReadOnlyList<LoadedPlugin> loaded)
{
    public IReadOnlyList<PluginStatus> Statuses { get; } = statuses;

    public IReadOnlyList<LoadedPlugin> Loaded { get; } = loaded;
}
