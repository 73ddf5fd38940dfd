using DevPlatform.Abstractions;

namespace DevPlatform.Costs;

internal static class CostsExtensions
{
    /// <summary>Prices, the cost model, metering (the <c>usage-meter</c> job) and budgets.</summary>
    public static IHostApplicationBuilder AddCosts(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<PricingOptions>(builder.Configuration.GetSection(PricingOptions.Section));
        builder.Services.AddSingleton<PriceList>();
        builder.Services.AddSingleton<CostModel>();
        builder.Services.AddScoped<UsageMeter>();
        builder.Services.AddScoped<UsageReport>();
        builder.Services.AddScoped<Budgets>();
        builder.Services.AddSingleton<IPlatformJob, UsageMeterJob>();
        builder.Services.AddSingleton<IPlatformJob, BudgetJob>();
        builder.Services.AddHostedService<PriceFileCheck>();
        return builder;
    }
}
