using System.Runtime.Loader;
using DevPlatform.Abstractions;
using DevPlatform.Strategies;

namespace DevPlatform.Plugins;

internal static class PluginsApi
{
    /// <summary>Every plugin folder with its state; a loaded plugin lists the named strategies it registered.</summary>
    public static IReadOnlyList<PluginStatus> List(PluginRegistry registry, IServiceProvider services)
    {
        var contributions = new List<(AssemblyLoadContext? Context, string Text)>();
        foreach (var contract in ContractTypes)
        {
            foreach (var strategy in services.GetServices(contract).OfType<INamedStrategy>())
            {
                contributions.Add((AssemblyLoadContext.GetLoadContext(strategy.GetType().Assembly), $"{contract.Name}:{strategy.Name}"));
            }
        }

        return registry.Statuses.Select(status =>
        {
            var plugin = registry.Loaded.FirstOrDefault(p => p.Instance.Manifest.Id == status.Id);
            return plugin is null ? status : status with
            {
                Contributes = contributions.Where(c => c.Context == plugin.Context).Select(c => c.Text).Order(StringComparer.Ordinal).ToList(),
            };
        }).ToList();
    }

    private static readonly Type[] ContractTypes = typeof(INamedStrategy).Assembly.GetExportedTypes()
        .Where(StrategiesExtensions.IsStrategyContract).ToArray();
}
