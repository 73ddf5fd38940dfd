using System.Globalization;
using DevPlatform.Environments;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.WebConsole;

/// <summary>Environments as the console lists them: with cost so far (metered hours plus the running hour not yet metered).</summary>
internal static class EnvironmentRows
{
    public sealed record Row(UserEnvironment Environment, EnvironmentResource Resource, decimal CostSoFar);

    public static async Task<List<Row>> LoadAsync(PlatformDbContext db, IQueryable<UserEnvironment> query, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var environments = await query.Include(e => e.User).AsNoTracking().ToListAsync(cancellationToken);
        var ids = environments.Select(e => e.Id).ToList();
        var metered = await db.UsageHours.Where(u => ids.Contains(u.EnvironmentId)).GroupBy(u => u.EnvironmentId)
            .Select(g => new { g.Key, Cost = g.Sum(u => u.Cost) }).ToDictionaryAsync(g => g.Key, g => g.Cost, cancellationToken);
        return environments.Select(e => new Row(e, EnvironmentResource.From(e), metered.GetValueOrDefault(e.Id) + Unmetered(e, now))).ToList();
    }

    public static decimal Unmetered(UserEnvironment e, DateTimeOffset now) =>
        e.State == EnvironmentState.Running && (e.MeteredUntil ?? e.StartedAt) is { } from && now > from ? e.HourlyRate * (decimal)(now - from).TotalHours : 0;

    public static string Money(decimal amount) => "$" + amount.ToString(amount < 10 ? "0.00" : "#,0.00", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan span) =>
        span.TotalDays >= 1 ? $"{(int)span.TotalDays} d {span.Hours} h"
        : span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes} min"
        : span.TotalMinutes >= 1 || span <= TimeSpan.Zero ? $"{Math.Max(0, span.Minutes)} min"
        : $"{span.Seconds} s"; // a 15-second job is "15 s", not "0 min"

    public static string Bytes(long bytes) => Storage.StorageScanner.Size(bytes);
}
