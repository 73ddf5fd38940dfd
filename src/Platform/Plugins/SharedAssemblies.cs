using System.Reflection;
using DevPlatform.Abstractions;

namespace DevPlatform.Plugins;

/// <summary>
/// The assemblies a plugin must see as the host's copies: the contract and everything it exposes
/// (dependency injection, configuration, routing…), found by walking the contract's references.
/// </summary>
internal static class SharedAssemblies
{
    public static IReadOnlySet<string> ForContract()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>();
        pending.Push(typeof(IPlatformPlugin).Assembly);
        while (pending.TryPop(out var assembly))
        {
            if (!names.Add(assembly.GetName().Name!))
            {
                continue;
            }

            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (reference.Name is not null && !names.Contains(reference.Name))
                {
                    pending.Push(Assembly.Load(reference));
                }
            }
        }

        return names;
    }
}
