using DevPlatform.Abstractions;

namespace DevPlatform.Persistence;

/// <summary>Folds the kept row counts' appended changes into one row per key (every minute), so reading a total stays a few rows.</summary>
internal sealed class RowCountsJob : IPlatformJob
{
    public string Name => "row-counts";

    public string Description => "Folds the changes the triggers append to the kept totals of users, members and audit events into one row per key.";

    public TimeSpan DefaultInterval => TimeSpan.FromMinutes(1);

    public async Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        $"folded {await KeptCounts.CompactAsync(services.GetRequiredService<PlatformDbContext>(), cancellationToken)} row count change(s).";
}
