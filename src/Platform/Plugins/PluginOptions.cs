namespace DevPlatform.Plugins;

/// <summary>Configuration section <c>Plugins</c>.</summary>
internal sealed class PluginOptions
{
    public const string Section = "Plugins";

    /// <summary>Folder holding one sub-folder per plugin; relative paths are against the host's base directory.</summary>
    public string Directory { get; set; } = "plugins";

    /// <summary>Plugin ids (or folder names) that must load, or start-up stops.</summary>
    public List<string> Required { get; set; } = [];
}
