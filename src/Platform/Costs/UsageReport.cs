using System.Globalization;
using System.Text;
using DevPlatform.Persistence;
using DevPlatform.Validation;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Costs;

/// <summary>One line of a usage report: a user, group, profile or pool in one day or month (UTC).</summary>
internal sealed class UsageLine
{
    public string Key { get; set; } = "";

    public DateTime Period { get; set; }

    public double Hours { get; set; }

    public double CpuRequestedCoreHours { get; set; }

    public double CpuUsedCoreHours { get; set; }

    public double MemoryRequestedGiBHours { get; set; }

    public double MemoryUsedGiBHours { get; set; }

    public double AcceleratorHours { get; set; }

    public decimal Cost { get; set; }
}

/// <summary>Usage and cost summed by user, group, profile or pool, per UTC day or month, from the hourly records.</summary>
internal sealed class UsageReport(PlatformDbContext db)
{
    private static readonly Dictionary<string, string> Columns = new(StringComparer.Ordinal)
    {
        ["user"] = "user_name", ["group"] = "group_name", ["profile"] = "profile_name", ["pool"] = "pool_name",
    };

    private static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Latest = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public async Task<IReadOnlyList<UsageLine>> BuildAsync(string? by, string? period, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        by ??= "group";
        period ??= "month";
        if (!Columns.TryGetValue(by, out var column))
        {
            errors.Add("by", $"must be one of: {string.Join(", ", Columns.Keys)}; got '{by}'.");
        }

        if (period is not ("day" or "month"))
        {
            errors.Add("period", $"must be 'day' or 'month'; got '{period}'.");
        }

        if (from is not null && to is not null && to <= from)
        {
            errors.Add("to", "must be after 'from'.");
        }

        errors.ThrowIfAny();
        // Both interpolated names come from the fixed lists above; the dates are parameters.
        var sql = $$"""
            SELECT {{column}} AS "Key", date_trunc('{{period}}', hour AT TIME ZONE 'UTC') AS "Period",
                   sum(seconds) / 3600 AS "Hours",
                   sum(cpu_request * seconds::numeric)::float8 / 3600 AS "CpuRequestedCoreHours",
                   sum(cpu_used_core_seconds) / 3600 AS "CpuUsedCoreHours",
                   sum(memory_request * seconds) / 3600 / 1073741824 AS "MemoryRequestedGiBHours",
                   sum(memory_used_byte_seconds) / 3600 / 1073741824 AS "MemoryUsedGiBHours",
                   sum(accelerators * seconds) / 3600 AS "AcceleratorHours",
                   sum(cost) AS "Cost"
            FROM usage_hours
            WHERE hour >= {0} AND hour < {1}
            GROUP BY 1, 2 ORDER BY 2, 1
            """;
        return await db.Database.SqlQueryRaw<UsageLine>(sql, from ?? Earliest, to ?? Latest)
            .ToListAsync(cancellationToken);
    }

    public static string Csv(string by, IReadOnlyList<UsageLine> lines)
    {
        var csv = new StringBuilder($"{by},period,hours,cpu_requested_core_hours,cpu_used_core_hours,memory_requested_gib_hours,memory_used_gib_hours,accelerator_hours,cost_usd\n");
        foreach (var l in lines)
        {
            csv.AppendLine(CultureInfo.InvariantCulture,
                $"{Quote(l.Key)},{l.Period:yyyy-MM-dd},{l.Hours:0.####},{l.CpuRequestedCoreHours:0.####},{l.CpuUsedCoreHours:0.####},{l.MemoryRequestedGiBHours:0.####},{l.MemoryUsedGiBHours:0.####},{l.AcceleratorHours:0.####},{l.Cost:0.######}");
        }

        return csv.ToString();
    }

    private static string Quote(string value) => value.IndexOfAny([',', '"', '\n']) < 0 ? value : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
