namespace DevPlatform.Plugins;

/// <summary>What the host knows of one plugin folder after start-up, as <c>GET /api/admin/plugins</c> shows it.</summary>
internal sealed record PluginStatus(
    string Folder,
    string? Id,
    string? Version,
    int? ContractVersion,
    string? Description,
    PluginState State,
    bool Required,
    string? Error,
    IReadOnlyList<string> Contributes);
