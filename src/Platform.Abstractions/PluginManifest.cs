namespace DevPlatform.Abstractions;

/// <summary>Who a plugin is and which contract it was built against.</summary>
/// <param name="Id">Stable identifier, e.g. <c>devplatform.accelerators</c>.</param>
/// <param name="Version">The plugin's own version, shown to admins.</param>
/// <param name="ContractVersion">The <see cref="PluginContract.Version"/> the plugin was compiled against.</param>
/// <param name="Description">One line for the admin console.</param>
public sealed record PluginManifest(string Id, string Version, int ContractVersion, string Description);
