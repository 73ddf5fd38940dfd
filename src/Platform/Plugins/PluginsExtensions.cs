using DevPlatform.Abstractions;

namespace DevPlatform.Plugins;

internal static class PluginsExtensions
{
    public static IHostApplicationBuilder AddPlugins(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(PluginOptions.Section).Get<PluginOptions>() ?? new PluginOptions();
        var registry = PluginLoader.Load(builder.Services, builder.Configuration, options, AppContext.BaseDirectory);
        builder.Services.AddSingleton(registry);
        builder.Services.AddHostedService<PluginStartupReport>();
        return builder;
    }

    /// <summary>Lets loaded plugins that serve HTTP map their endpoints, and serves the plugin list to admins.</summary>
    public static IEndpointRouteBuilder MapPlugins(this IEndpointRouteBuilder endpoints, RouteGroupBuilder adminApi)
    {
        foreach (var plugin in endpoints.ServiceProvider.GetRequiredService<PluginRegistry>().Loaded)
        {
            (plugin.Instance as IPluginEndpoints)?.MapEndpoints(endpoints);
        }

        adminApi.MapGet("/plugins", PluginsApi.List).WithName("ListPlugins").WithTags("Admin")
            .WithSummary("Plugins loaded and failed, with what each contributes.");
        return endpoints;
    }
}
