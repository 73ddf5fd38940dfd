using DevPlatform.Persistence;
using DevPlatform.Validation;

namespace DevPlatform.Costs;

/// <summary>Usage and cost reports for admins (JSON or CSV), and requested-versus-used per environment.</summary>
internal static class UsageApi
{
    public static RouteGroupBuilder MapUsageApi(this RouteGroupBuilder admin)
    {
        var usage = admin.MapGroup("/usage").WithTags("Usage and cost");
        usage.MapGet("/", async (UsageReport report, string? by, string? period, DateTimeOffset? from, DateTimeOffset? to, string? format, CancellationToken ct) =>
        {
            var lines = await report.BuildAsync(by, period, from, to, ct);
            return format switch
            {
                null or "json" => Results.Ok(lines),
                "csv" => Results.Text(UsageReport.Csv(by ?? "group", lines), "text/csv; charset=utf-8"),
                _ => throw Invalid("format", $"must be 'json' or 'csv'; got '{format}'."),
            };
        }).WithName("GetUsageReport")
            .WithSummary("Hours, requested and used CPU/memory, accelerator hours and cost by user, group, profile or pool (by), per UTC day or month (period); format=csv for a spreadsheet.");
        usage.MapGet("/environments", (PlatformDbContext db, TimeProvider time, DateTimeOffset? from, DateTimeOffset? to, string? user, string? group, CancellationToken ct) =>
            EnvironmentUsage.ListAsync(db, from ?? time.GetUtcNow().AddDays(-30), to ?? time.GetUtcNow().AddHours(1), user, group, ct))
            .WithName("GetEnvironmentUsageReport")
            .WithSummary("Per environment: requested versus used CPU and memory and cost (default: the last 30 days); underused when below 20% of its request.");
        return admin;
    }

    private static ValidationFailedException Invalid(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}
