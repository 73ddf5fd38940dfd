using System.Globalization;
using DevPlatform.Api;
using DevPlatform.Environments;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.WebConsole;

/// <summary>Environments as the console lists them: with cost so far (metered hours plus the running hour not yet metered).</summary>
internal static class EnvironmentRows
{
    /// <summary>A listed environment: what the API shows of it, its id (the admin page's bulk stop) and its cost so far.</summary>
    public sealed record Row(Guid Id, EnvironmentResource Resource, decimal CostSoFar);

    /// <summary>One environment with all of it (the detail page reads its backend state for logs and usage).</summary>
    public sealed record Detail(UserEnvironment Environment, EnvironmentResource Resource, decimal CostSoFar);

    /// <summary>The columns a list shows and each row's metered cost, in one statement; no spec is read.</summary>
    private sealed record Listed(Guid Id, EnvironmentResource Resource, DateTimeOffset? MeteredUntil, decimal Metered)
    {
        public Row At(DateTimeOffset now) => new(Id, EnvironmentResource.Normalized(Resource),
            Metered + Unmetered(Resource.State, MeteredUntil ?? Resource.StartedAt, Resource.HourlyRate, now));
    }

    public static async Task<List<Row>> LoadAsync(PlatformDbContext db, IQueryable<UserEnvironment> ordered, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await ordered.Select(Listing(db)).ToListAsync(cancellationToken)).Select(row => row.At(now)).ToList();

    /// <summary>A page of rows and how many match, in one round trip (<see cref="PageRequest.ApplyAsync{TIn, TOut}(IQueryable{TIn}, Func{TIn, TOut}, CancellationToken)"/>).</summary>
    public static Task<Page<Row>> PageAsync(PlatformDbContext db, IQueryable<UserEnvironment> ordered, PageRequest page, DateTimeOffset now, CancellationToken cancellationToken) =>
        page.ApplyAsync(ordered.Select(Listing(db)), row => row.At(now), cancellationToken);

    public static async Task<Detail?> FindAsync(PlatformDbContext db, string owner, string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var found = await db.Environments.AsNoTracking().Where(e => e.OwnerName == owner && e.Name == name)
            .Select(e => new { Environment = e, Metered = db.UsageHours.Where(u => u.EnvironmentId == e.Id).Sum(u => u.Cost) })
            .SingleOrDefaultAsync(cancellationToken);
        return found is { Environment: var e }
            ? new Detail(e, EnvironmentResource.From(e), found.Metered + Unmetered(e.State, e.MeteredUntil ?? e.StartedAt, e.HourlyRate, now))
            : null;
    }

    private static System.Linq.Expressions.Expression<Func<UserEnvironment, Listed>> Listing(PlatformDbContext db) =>
        EnvironmentResource.With((e, resource) => new Listed(e.Id, resource, e.MeteredUntil, db.UsageHours.Where(u => u.EnvironmentId == e.Id).Sum(u => u.Cost)));

    /// <summary>The running time since the meter last counted, at the environment's rate.</summary>
    private static decimal Unmetered(EnvironmentState state, DateTimeOffset? meteredFrom, decimal hourlyRate, DateTimeOffset now) =>
        state == EnvironmentState.Running && meteredFrom is { } from && now > from ? hourlyRate * (decimal)(now - from).TotalHours : 0;

    public static string Money(decimal amount) => "$" + amount.ToString(amount < 10 ? "0.00" : "#,0.00", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan span) =>
        span.TotalDays >= 1 ? $"{(int)span.TotalDays} d {span.Hours} h"
        : span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes} min"
        : span.TotalMinutes >= 1 || span <= TimeSpan.Zero ? $"{Math.Max(0, span.Minutes)} min"
        : $"{span.Seconds} s"; // a 15-second job is "15 s", not "0 min"

    public static string Bytes(long bytes) => Storage.StorageScanner.Size(bytes);
}
