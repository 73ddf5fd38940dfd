using DevPlatform.Abstractions;

namespace DevPlatform.Plugins;

internal sealed record LoadedPlugin(IPlatformPlugin Instance, PluginLoadContext Context);
