using System.Reflection;
using DevPlatform.Abstractions;
using DevPlatform.Hosting;

namespace DevPlatform.Plugins;

/// <summary>Loads every plugin folder under the configured directory, each into its own load context.</summary>
internal static class PluginLoader
{
    public static PluginRegistry Load(IServiceCollection services, IConfiguration configuration, PluginOptions options, string baseDirectory)
    {
        var directory = Path.GetFullPath(options.Directory, baseDirectory);
        var required = new HashSet<string>(options.Required, StringComparer.OrdinalIgnoreCase);
        var statuses = new List<PluginStatus>();
        var loaded = new List<LoadedPlugin>();
        IEnumerable<string> folders = Directory.Exists(directory) ? Directory.GetDirectories(directory).Order(StringComparer.Ordinal) : [];
        var shared = SharedAssemblies.ForContract();

        foreach (var folder in folders)
        {
            var (status, plugin) = LoadOne(folder, services, configuration, shared, required, loaded);
            statuses.Add(status);
            if (plugin is not null)
            {
                loaded.Add(plugin);
            }
            else if (status.Required)
            {
                throw new StartupException($"Required plugin '{status.Id ?? status.Folder}' failed to load: {status.Error}");
            }
        }

        var missing = required.Where(r => !statuses.Any(s => Matches(s, r))).ToList();
        if (missing.Count > 0)
        {
            throw new StartupException(
                $"Required plugin(s) {string.Join(", ", missing.Select(m => $"'{m}'"))} not found in {directory}; " +
                $"found: {(statuses.Count == 0 ? "none" : string.Join(", ", statuses.Select(s => s.Id ?? s.Folder)))}.");
        }

        return new PluginRegistry(statuses, loaded);
    }

    private static bool Matches(PluginStatus status, string name) =>
        string.Equals(status.Folder, name, StringComparison.OrdinalIgnoreCase) ||
        string.Equals(status.Id, name, StringComparison.OrdinalIgnoreCase);

    private static (PluginStatus Status, LoadedPlugin? Plugin) LoadOne(
        string folder, IServiceCollection services, IConfiguration configuration, IReadOnlySet<string> shared,
        HashSet<string> required, List<LoadedPlugin> alreadyLoaded)
    {
        var name = Path.GetFileName(folder);
        var failed = (string error, PluginManifest? manifest) => new PluginStatus(
            name, manifest?.Id, manifest?.Version, manifest?.ContractVersion, manifest?.Description, PluginState.Failed,
            required.Contains(name) || (manifest is not null && required.Contains(manifest.Id)), error, []);

        var mainAssembly = Path.Combine(folder, name + ".dll");
        if (!File.Exists(mainAssembly))
        {
            return (failed($"no {name}.dll in {folder} (a plugin folder holds <folder name>.dll and its dependencies)", null), null);
        }

        PluginLoadContext context;
        Type pluginType;
        try
        {
            context = new PluginLoadContext(mainAssembly, shared);
            var types = context.LoadFromAssemblyPath(mainAssembly).GetTypes();
            var candidates = types.Where(t => typeof(IPlatformPlugin).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false }).ToList();
            if (candidates.Count != 1)
            {
                return (failed($"expected exactly one class implementing IPlatformPlugin, found {candidates.Count}", null), null);
            }

            pluginType = candidates[0];
        }
        catch (Exception e) when (e is ReflectionTypeLoadException or BadImageFormatException or FileLoadException or FileNotFoundException)
        {
            var cause = e is ReflectionTypeLoadException tle ? tle.LoaderExceptions.FirstOrDefault(x => x is not null) ?? e : e;
            return (failed($"could not load its types: {cause.Message}", null), null);
        }

        IPlatformPlugin instance;
        PluginManifest manifest;
        try
        {
            instance = (IPlatformPlugin)Activator.CreateInstance(pluginType)!;
            manifest = instance.Manifest;
        }
        catch (Exception e) when (e is TargetInvocationException or MissingMethodException or InvalidOperationException)
        {
            var cause = e.InnerException ?? e;
            return (failed($"{pluginType.Name} could not be created: {cause.GetType().Name}: {cause.Message}", null), null);
        }

        if (manifest.ContractVersion != PluginContract.Version)
        {
            return (failed(
                $"built against plugin contract version {manifest.ContractVersion}, this host provides version {PluginContract.Version}; " +
                "rebuild the plugin against this host's DevPlatform.Abstractions", manifest), null);
        }

        if (string.IsNullOrWhiteSpace(manifest.Id))
        {
            return (failed("its manifest has no id", manifest), null);
        }

        var duplicate = alreadyLoaded.FirstOrDefault(p => string.Equals(p.Instance.Manifest.Id, manifest.Id, StringComparison.OrdinalIgnoreCase));
        if (duplicate is not null)
        {
            return (failed($"plugin id '{manifest.Id}' is already loaded from folder '{duplicate.Context.Name}'", manifest), null);
        }

        // Staged on top of the host's registrations, so a plugin's AddHttpClient, AddOptions and the like find the host's
        // infrastructure (one HttpClient factory with the host's defaults, not a second); only what it added is kept.
        var staged = new ServiceCollection();
        foreach (var descriptor in services)
        {
            ((ICollection<ServiceDescriptor>)staged).Add(descriptor);
        }

        var hosts = new HashSet<ServiceDescriptor>(services, ReferenceEqualityComparer.Instance);
        try
        {
            instance.ConfigureServices(staged, configuration);
        }
#pragma warning disable CA1031 // a plugin may throw anything; it is reported, never allowed to crash the host
        catch (Exception e)
#pragma warning restore CA1031
        {
            return (failed($"ConfigureServices threw {e.GetType().Name}: {e.Message}", manifest), null);
        }

        foreach (var descriptor in staged.Where(d => !hosts.Contains(d)))
        {
            services.Add(descriptor);
        }

        var status = new PluginStatus(name, manifest.Id, manifest.Version, manifest.ContractVersion, manifest.Description,
            PluginState.Loaded, required.Contains(name) || required.Contains(manifest.Id), null, []);
        return (status, new LoadedPlugin(instance, context));
    }
}
