using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace DevPlatform.ServiceDefaults;

internal static class StructuredLogging
{
    /// <summary>
    /// JSON lines on the console (one object per event, with scopes and UTC timestamps) unless
    /// <c>Logging:Console:FormatterName</c> asks for <c>simple</c>, as the AppHost does for people.
    /// </summary>
    public static void AddStructuredLogging(this IHostApplicationBuilder builder)
    {
        var formatter = builder.Configuration["Logging:Console:FormatterName"];
        builder.Logging.ClearProviders();
        if (string.Equals(formatter, ConsoleFormatterNames.Simple, StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
            return;
        }

        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
    }
}
