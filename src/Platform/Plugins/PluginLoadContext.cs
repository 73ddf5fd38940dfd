using System.Reflection;
using System.Runtime.Loader;

namespace DevPlatform.Plugins;

/// <summary>
/// One per plugin (Jellyfin / DotNetCorePlugins): the plugin's own dependencies resolve from its folder
/// through its deps.json, so two plugins may carry different versions of one library; the contract
/// assemblies resolve to the host's copies so <c>IPlatformPlugin</c> is one type on both sides.
/// </summary>
internal sealed class PluginLoadContext(string mainAssemblyPath, IReadOnlySet<string> sharedAssemblies)
    : AssemblyLoadContext(Path.GetFileNameWithoutExtension(mainAssemblyPath), isCollectible: false)
{
    private readonly AssemblyDependencyResolver resolver = new(mainAssemblyPath);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is not null && sharedAssemblies.Contains(assemblyName.Name))
        {
            return null; // fall back to the host's (default) context
        }

        var path = resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
