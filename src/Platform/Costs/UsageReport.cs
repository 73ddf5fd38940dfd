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

/// <summary>
/// Usage and cost summed by user, group, profile or pool, per UTC day or month: whole days from the daily sums
/// (<see cref="UsageDay"/>), a window's partial first and last day from the hourly records.
/// </summary>
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
        var (start, end) = (from ?? Earliest, to ?? Latest);
        var (firstDay, endDay) = (Midnight(start, up: true), Midnight(end, up: false));
        if (firstDay >= endDay)
        {
            (firstDay, endDay) = (end, end); // no whole day inside: all from the hourly records
        }

        // Whole days from the daily sums; the hours before the first and after the last whole day from the hourly records.
        // Both interpolated names come from the fixed lists above; the bounds are parameters.
        var sql = $$"""
            SELECT key AS "Key", period AS "Period",
                   sum(seconds) / 3600 AS "Hours",
                   sum(cpu_requested)::float8 / 3600 AS "CpuRequestedCoreHours",
                   sum(cpu_used) / 3600 AS "CpuUsedCoreHours",
                   sum(memory_requested) / 3600 / 1073741824 AS "MemoryRequestedGiBHours",
                   sum(memory_used) / 3600 / 1073741824 AS "MemoryUsedGiBHours",
                   sum(accelerator_seconds) / 3600 AS "AcceleratorHours",
                   sum(cost) AS "Cost"
            FROM (
                SELECT {{column}} AS key, date_trunc('{{period}}', day::timestamp) AS period, seconds, cpu_requested_core_seconds AS cpu_requested,
                       cpu_used_core_seconds AS cpu_used, memory_requested_byte_seconds AS memory_requested, memory_used_byte_seconds AS memory_used,
                       accelerator_seconds, cost
                FROM usage_days WHERE day >= {0} AND day < {1}
                UNION ALL
                SELECT {{column}}, date_trunc('{{period}}', hour AT TIME ZONE 'UTC'), seconds, cpu_request * seconds::numeric, cpu_used_core_seconds,
                       memory_request * seconds, memory_used_byte_seconds, accelerators * seconds, cost
                FROM usage_hours WHERE (hour >= {2} AND hour < {3}) OR (hour >= {4} AND hour < {5})
            ) AS used
            GROUP BY 1, 2 ORDER BY 2, 1
            """;
        return await db.Database.SqlQueryRaw<UsageLine>(sql,
                DateOnly.FromDateTime(firstDay.UtcDateTime), DateOnly.FromDateTime(endDay.UtcDateTime), start, firstDay, endDay, end)
            .ToListAsync(cancellationToken);
    }

    /// <summary>The UTC midnight at or after (<paramref name="up"/>) or at or before the instant.</summary>
    private static DateTimeOffset Midnight(DateTimeOffset at, bool up)
    {
        var day = new DateTimeOffset(at.UtcDateTime.Date, TimeSpan.Zero);
        return up && day < at ? day.AddDays(1) : day;
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
