namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>A plugin directory holding copies of the named plugin folders from the test's build output.</summary>
public static class PluginFolder
{
    public static readonly string[] BuiltIn = ["DevPlatform.Plugins.Accelerators", "DevPlatform.Plugins.Storage", "DevPlatform.Plugins.Auth", "DevPlatform.Plugins.Access"];

    public static string With(params string[] plugins)
    {
        var target = TestFolders.Create("devplatform-plugins-");
        foreach (var plugin in plugins)
        {
            var source = Path.Combine(AppContext.BaseDirectory, "plugins", plugin);
            var destination = Path.Combine(target, plugin);
            Directory.CreateDirectory(destination);
            foreach (var file in Directory.GetFiles(source))
            {
                File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
            }
        }

        return target;
    }
}
