using DevPlatform.Abstractions;

namespace DevPlatform.Costs;

/// <summary>Budget thresholds and stops as a scheduled job (every 5 minutes).</summary>
internal sealed class BudgetJob : IPlatformJob
{
    public string Name => "budget-enforcer";

    public string Description => "Alerts groups at 50, 80, 90 and 100% of their monthly budget and, where their policy says so, stops their environments at 100%.";

    public TimeSpan DefaultInterval => TimeSpan.FromMinutes(5);

    public Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<Budgets>().EnforceAsync(cancellationToken);
}

/// <summary>Metering as a scheduled job (every minute).</summary>
internal sealed class UsageMeterJob : IPlatformJob
{
    public string Name => "usage-meter";

    public string Description => "Records each running environment's time, requested and used resources, and cost per hour.";

    public TimeSpan DefaultInterval => TimeSpan.FromMinutes(1);

    public Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<UsageMeter>().MeterAsync(null, cancellationToken);
}
