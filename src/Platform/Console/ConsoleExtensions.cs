using System.Reflection;

namespace DevPlatform.WebConsole;

internal static class ConsoleExtensions
{
    /// <summary>The web console: Razor components rendered on the server (no WebAssembly, no front-end build).</summary>
    public static IHostApplicationBuilder AddConsole(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents();
        return builder;
    }

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/console/assets/{file}", (string file) => Asset(file)).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapGet("/favicon.ico", () => Asset("favicon.ico")).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapGet("/hub/logo", () => Asset("logo.svg")).AllowAnonymous().ExcludeFromDescription(); // Jupyter's pages show {hub_prefix}logo
        endpoints.MapRazorComponents<App>();
        return endpoints;
    }

    private static IResult Asset(string file)
    {
        var type = Path.GetExtension(file) switch
        {
            ".css" => "text/css; charset=utf-8", ".js" => "text/javascript; charset=utf-8", ".svg" => "image/svg+xml", ".ico" => "image/x-icon", _ => null,
        };
        var stream = type is null ? null : Assembly.GetExecutingAssembly().GetManifestResourceStream($"DevPlatform.WebConsole.Assets.{file}");
        return stream is null ? Results.NotFound() : Results.Stream(stream, type, enableRangeProcessing: false);
    }
}
