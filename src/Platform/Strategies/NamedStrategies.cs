using DevPlatform.Abstractions;
using DevPlatform.Hosting;

namespace DevPlatform.Strategies;

/// <summary>The registered strategies of one kind, looked up by name (YARP-style named policies).</summary>
internal sealed class NamedStrategies<T>
    where T : INamedStrategy
{
    private readonly Dictionary<string, T> byName;

    public NamedStrategies(IEnumerable<T> strategies)
    {
        byName = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var strategy in strategies)
        {
            if (!byName.TryAdd(strategy.Name, strategy))
            {
                throw new StartupException(
                    $"Two {typeof(T).Name} strategies are named '{strategy.Name}' ({byName[strategy.Name].GetType().FullName} and " +
                    $"{strategy.GetType().FullName}); remove one of the plugins that provide them.");
            }
        }
    }

    public IReadOnlyCollection<string> Names => byName.Keys.Order(StringComparer.Ordinal).ToList();

    public IReadOnlyCollection<T> All => byName.Values;

    public T? Find(string? name) => name is not null && byName.TryGetValue(name, out var strategy) ? strategy : default;

    /// <summary>"'x' is not a known accelerator kind; known: cpu, nvidia-gpu".</summary>
    public string Unknown(string name, string what) =>
        $"'{name}' is not a known {what}; known: {(byName.Count == 0 ? "none (is the plugin that provides it loaded?)" : string.Join(", ", Names))}";
}
