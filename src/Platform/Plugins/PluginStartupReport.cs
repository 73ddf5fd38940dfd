namespace DevPlatform.Plugins;

/// <summary>One log line per plugin at start-up: loaded with its version, or failed with the reason.</summary>
internal sealed class PluginStartupReport(PluginRegistry registry, ILogger<PluginStartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var status in registry.Statuses)
        {
            if (status.State == PluginState.Loaded)
            {
                logger.LogInformation("Plugin {PluginId} {PluginVersion} loaded from {PluginFolder}", status.Id, status.Version, status.Folder);
            }
            else
            {
                logger.LogError("Plugin {PluginFolder} failed to load and is disabled: {PluginError}", status.Folder, status.Error);
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
