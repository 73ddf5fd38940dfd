using DevPlatform.Abstractions;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DevPlatform.Strategies;

internal static class StrategiesExtensions
{
    /// <summary>Lookup by name for every strategy kind, and the start-up check of names in configuration.</summary>
    public static IHostApplicationBuilder AddStrategies(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(typeof(NamedStrategies<>));
        builder.Services.Configure<StrategyOptions>(builder.Configuration);
        builder.Services.AddHostedService<ConfiguredStrategiesCheck>();
        return builder;
    }

    public static bool IsStrategyContract(Type type) =>
        type.IsInterface && type != typeof(INamedStrategy) && typeof(INamedStrategy).IsAssignableFrom(type);
}
