namespace DevPlatform.Plugins;

internal enum PluginState
{
    Loaded,
    Failed,
}
