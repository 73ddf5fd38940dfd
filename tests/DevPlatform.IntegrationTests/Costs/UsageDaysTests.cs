using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DevPlatform.IntegrationTests.Costs;

/// <summary>
/// The usage report reads whole days from the daily sums PostgreSQL keeps beside the hourly records: through the
/// meter's upserts, a request changed mid-hour, a record moved to another group and records deleted, every report —
/// whole days, windows starting and ending mid-day, a window inside one day — equals the sums of the hourly records.
/// </summary>
public sealed class UsageDaysTests : AdminApiTest
{
    private static readonly string[] Keys = ["user", "group", "profile", "pool"];

    /// <summary>20 environments' hourly records over 40 days (a third of the hours missing), 7 users, 3 groups, 2 profiles and pools.</summary>
    private const string Recorded = """
        INSERT INTO usage_hours (environment_id, environment_name, hour, user_name, group_name, profile_name, pool_name, cpu_request, memory_request, accelerators,
                                 seconds, measured_seconds, cpu_used_core_seconds, memory_used_byte_seconds, cost)
        SELECT md5(e::text)::uuid, 'env' || e, timestamptz '2026-10-30 00:00Z' + h * interval '1 hour', 'user' || (e % 7), 'g' || (e % 3),
               CASE WHEN e % 2 = 0 THEN 'web' ELSE 'gpu' END, CASE WHEN e % 2 = 0 THEN 'cpu' ELSE 'a10g' END,
               0.5 + (e % 4) * 0.25, (e % 5 + 1) * 268435456, e % 2, 3600 - (h % 7) * 100, 1800, 0.1 * h, 1e9 * e, 0.0093 * (e % 4 + 1)
        FROM generate_series(1, 20) AS e, generate_series(0, 24 * 40 - 1) AS h WHERE (e + h) % 3 <> 0
        """;

    /// <summary>The meter's upsert: more seconds for hours already recorded, with the request changed (it applies to the whole hour).</summary>
    private const string UpsertedWithANewRequest = """
        INSERT INTO usage_hours (environment_id, environment_name, hour, user_name, group_name, profile_name, pool_name, cpu_request, memory_request, accelerators,
                                 seconds, measured_seconds, cpu_used_core_seconds, memory_used_byte_seconds, cost)
        SELECT environment_id, environment_name, hour, user_name, group_name, profile_name, pool_name, 2, memory_request, accelerators, 60, 60, 1, 1, 0.001
        FROM usage_hours WHERE environment_name IN ('env1', 'env2') AND hour >= '2026-11-15Z'
        ON CONFLICT (environment_id, hour) DO UPDATE SET
            seconds = usage_hours.seconds + excluded.seconds, cost = usage_hours.cost + excluded.cost, cpu_request = excluded.cpu_request
        """;

    [Fact]
    public async Task Reports_FromTheDailySums_EqualTheHourlyRecords_ThroughUpsertsUpdatesAndDeletes()
    {
        await WriteAsync(Recorded);
        await AssertReportsMatchAsync("inserted");

        await WriteAsync(UpsertedWithANewRequest);
        await AssertReportsMatchAsync("upserted");

        await WriteAsync("UPDATE usage_hours SET group_name = 'g9' WHERE environment_name = 'env3' AND hour < '2026-11-02Z'");
        await AssertReportsMatchAsync("moved to another group");

        await WriteAsync("DELETE FROM usage_hours WHERE user_name = 'user4' OR (environment_name = 'env5' AND hour >= '2026-11-20 13:00Z')");
        await AssertReportsMatchAsync("deleted");
        Assert.DoesNotContain(await ReportAsync("user", "day", null, null), line => line.Contains("user4", StringComparison.Ordinal)); // no empty days left behind
    }

    /// <summary>
    /// Requested versus used per environment: each environment's sums over the window, and the names and request of its
    /// latest hour in the window (env1 and env2 asked for 2 CPU from 15 November on) — equal to the hourly records read here.
    /// </summary>
    [Fact]
    public async Task EnvironmentReport_SumsTheWindow_AndShowsItsLatestHoursRequest()
    {
        await WriteAsync(Recorded);
        await WriteAsync(UpsertedWithANewRequest);
        await WriteAsync("UPDATE usage_hours SET group_name = 'g9' WHERE environment_name = 'env3' AND hour < '2026-11-02Z'"); // then back to g0
        (string? From, string? To, string? User, string? Group)[] asked =
        [
            ("2026-10-01T00:00:00Z", "2026-12-31T00:00:00Z", null, null), ("2026-11-03T07:00:00Z", "2026-11-20T13:00:00Z", null, null),
            ("2026-11-01T00:00:00Z", "2026-11-10T00:00:00Z", "user1", null), ("2026-11-10T00:00:00Z", "2026-11-30T00:00:00Z", null, "g2"),
        ];
        foreach (var (from, to, user, group) in asked)
        {
            var query = $"/api/usage/environments?from={Uri.EscapeDataString(from!)}&to={Uri.EscapeDataString(to!)}" + (user is null ? "" : $"&user={user}") + (group is null ? "" : $"&group={group}");
            var report = (await Admin.GetFromJsonAsync<JsonElement>(query)).EnumerateArray().Select(e => string.Create(CultureInfo.InvariantCulture,
                $"{e.GetProperty("user").GetString()} {e.GetProperty("environment").GetString()} {e.GetProperty("group").GetString()} {e.GetProperty("profile").GetString()} {e.GetProperty("pool").GetString()} {e.GetProperty("hours").GetDouble():0.0000} {e.GetProperty("cpuRequested").GetDecimal():0.000} {e.GetProperty("cpuUsed").GetDouble():0.0000} {e.GetProperty("memoryRequested").GetInt64()} {e.GetProperty("accelerators").GetInt32()} {e.GetProperty("cost").GetDecimal():0.0000000000}")).ToList();

            await using var scope = Factory.Services.CreateAsyncScope();
            var (start, end) = (DateTimeOffset.Parse(from!, CultureInfo.InvariantCulture), DateTimeOffset.Parse(to!, CultureInfo.InvariantCulture));
            var rows = await scope.ServiceProvider.GetRequiredService<PlatformDbContext>().UsageHours.AsNoTracking()
                .Where(u => u.Hour >= start && u.Hour < end && (user == null || u.UserName == user) && (group == null || u.GroupName == group)).ToListAsync();
            var expected = rows.GroupBy(u => u.EnvironmentId).Select(g => (Latest: g.MaxBy(u => u.Hour)!, Hours: g.ToList()))
                .OrderBy(e => e.Latest.UserName, StringComparer.Ordinal).ThenBy(e => e.Latest.EnvironmentName, StringComparer.Ordinal)
                .Select(e => string.Create(CultureInfo.InvariantCulture,
                    $"{e.Latest.UserName} {e.Latest.EnvironmentName} {e.Latest.GroupName} {e.Latest.ProfileName} {e.Latest.PoolName} {e.Hours.Sum(u => u.Seconds) / 3600:0.0000} {e.Latest.CpuRequest:0.000} {e.Hours.Sum(u => u.CpuUsedCoreSeconds) / e.Hours.Sum(u => u.MeasuredSeconds):0.0000} {e.Latest.MemoryRequest} {e.Latest.Accelerators} {e.Hours.Sum(u => u.Cost):0.0000000000}"))
                .ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected, report);
        }

        var env1 = (await Admin.GetFromJsonAsync<JsonElement>("/api/usage/environments?from=2026-11-10T00:00:00Z&to=2026-12-31T00:00:00Z&user=user1")).EnumerateArray()
            .Single(e => e.GetProperty("environment").GetString() == "env1");
        Assert.Equal(2m, env1.GetProperty("cpuRequested").GetDecimal()); // its latest hour's request, not its first
    }

    private async Task AssertReportsMatchAsync(string after)
    {
        (string? From, string? To)[] windows =
        [
            (null, null), ("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z"), ("2026-11-03T07:30:00Z", "2026-11-20T13:00:00Z"),
            ("2026-11-05T01:00:00Z", "2026-11-05T17:00:00Z"), ("2026-10-30T23:00:00Z", null),
        ];
        foreach (var by in Keys)
        {
            foreach (var period in new[] { "day", "month" })
            {
                foreach (var (from, to) in windows)
                {
                    var expected = await FromHoursAsync(by, period, from, to);
                    Assert.NotEmpty(expected);
                    Assert.True(expected.SequenceEqual(await ReportAsync(by, period, from, to)), $"after {after}: by={by}, period={period}, from={from}, to={to}");
                }
            }
        }
    }

    /// <summary>The report's lines, rounded to what no one reads past (sums of doubles differ in their last bits).</summary>
    private async Task<List<string>> ReportAsync(string by, string period, string? from, string? to)
    {
        var query = $"/api/usage?by={by}&period={period}" + (from is null ? "" : $"&from={Uri.EscapeDataString(from)}") + (to is null ? "" : $"&to={Uri.EscapeDataString(to)}");
        var lines = await Admin.GetFromJsonAsync<JsonElement>(query);
        return [.. lines.EnumerateArray().Select(l => Line(l.GetProperty("key").GetString()!, l.GetProperty("period").GetDateTime(), l.GetProperty("hours").GetDouble(),
            l.GetProperty("cpuRequestedCoreHours").GetDouble(), l.GetProperty("cpuUsedCoreHours").GetDouble(), l.GetProperty("memoryRequestedGiBHours").GetDouble(),
            l.GetProperty("memoryUsedGiBHours").GetDouble(), l.GetProperty("acceleratorHours").GetDouble(), l.GetProperty("cost").GetDecimal()))];
    }

    private async Task<List<string>> FromHoursAsync(string by, string period, string? from, string? to)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
        var start = from is null ? DateTimeOffset.MinValue : DateTimeOffset.Parse(from, CultureInfo.InvariantCulture);
        var end = to is null ? DateTimeOffset.MaxValue : DateTimeOffset.Parse(to, CultureInfo.InvariantCulture);
        var rows = await db.UsageHours.AsNoTracking().Where(u => u.Hour >= start && u.Hour < end).ToListAsync();
        return [.. rows
            .GroupBy(u => (Key: by switch { "user" => u.UserName, "group" => u.GroupName, "profile" => u.ProfileName, _ => u.PoolName },
                Period: period == "day" ? u.Hour.UtcDateTime.Date : new DateTime(u.Hour.UtcDateTime.Year, u.Hour.UtcDateTime.Month, 1, 0, 0, 0, DateTimeKind.Utc)))
            .OrderBy(g => g.Key.Period).ThenBy(g => g.Key.Key, StringComparer.Ordinal)
            .Select(g => Line(g.Key.Key, g.Key.Period, g.Sum(u => u.Seconds) / 3600, (double)g.Sum(u => u.CpuRequest * (decimal)u.Seconds) / 3600,
                g.Sum(u => u.CpuUsedCoreSeconds) / 3600, g.Sum(u => u.MemoryRequest * u.Seconds) / 3600 / (1 << 30), g.Sum(u => u.MemoryUsedByteSeconds) / 3600 / (1 << 30),
                g.Sum(u => u.Accelerators * u.Seconds) / 3600, g.Sum(u => u.Cost)))];
    }

    private static string Line(string key, DateTime period, double hours, double cpuRequested, double cpuUsed, double memoryRequested, double memoryUsed, double accelerators, decimal cost) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{key} {period:yyyy-MM-dd} {hours:0.000000} {cpuRequested:0.000000} {cpuUsed:0.000000} {memoryRequested:0.000000} {memoryUsed:0.000000} {accelerators:0.000000} {cost:0.0000000000}");

    private async Task WriteAsync(string sql)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PlatformDbContext>().Database.ExecuteSqlRawAsync(sql);
    }
}
