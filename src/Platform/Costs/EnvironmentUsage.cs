using System.Globalization;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Costs;

/// <summary>
/// One environment's requested versus used resources over a time window: the average it used while measured,
/// as a fraction of what it asked for, flagged <see cref="Underused"/> under 20% of its CPU or memory request.
/// </summary>
internal sealed record EnvironmentUsage(
    Guid EnvironmentId, string User, string Environment, string Group, string Profile, string Pool, double Hours,
    decimal CpuRequested, double? CpuUsed, long MemoryRequested, double? MemoryUsed, int Accelerators, decimal Cost,
    double? CpuUtilisation, double? MemoryUtilisation, bool Underused, string Summary)
{
    public const double UnderusedBelow = 0.2;

    public static async Task<IReadOnlyList<EnvironmentUsage>> ListAsync(
        PlatformDbContext db, DateTimeOffset from, DateTimeOffset to, string? user, string? group, CancellationToken cancellationToken)
    {
        var query = db.UsageHours.Where(u => u.Hour >= from && u.Hour < to);
        query = user is null ? query : query.Where(u => u.UserName == user);
        query = group is null ? query : query.Where(u => u.GroupName == group);
        // The window's sums and its last hour per environment in one pass, then that hour's record (names and request) by
        // the (environment, hour) index: a LATERAL lookup per environment. A "latest" subquery inside the grouping made
        // PostgreSQL read and sort the window's records a second time (3.2 → 0.9 ms for 99 environments' 2,376 hours).
        var totals = query.GroupBy(u => u.EnvironmentId).Select(g => new
        {
            Id = g.Key,
            Hour = g.Max(u => u.Hour),
            Seconds = g.Sum(u => u.Seconds),
            Measured = g.Sum(u => u.MeasuredSeconds),
            Cpu = g.Sum(u => u.CpuUsedCoreSeconds),
            Memory = g.Sum(u => u.MemoryUsedByteSeconds),
            Cost = g.Sum(u => u.Cost),
        });
        var sums = await totals.SelectMany(
            t => db.UsageHours.Where(u => u.EnvironmentId == t.Id && u.Hour == t.Hour).Take(1),
            (t, u) => new
            {
                t.Id, t.Seconds, t.Measured, t.Cpu, t.Memory, t.Cost,
                Latest = new { u.UserName, u.EnvironmentName, u.GroupName, u.ProfileName, u.PoolName, u.CpuRequest, u.MemoryRequest, u.Accelerators },
            }).ToListAsync(cancellationToken);
        return sums.Select(s =>
        {
            double? cpu = s.Measured > 0 ? s.Cpu / s.Measured : null;
            double? memory = s.Measured > 0 ? s.Memory / s.Measured : null;
            double? cpuShare = cpu is { } c && s.Latest.CpuRequest > 0 ? c / (double)s.Latest.CpuRequest : null;
            double? memoryShare = memory is { } m && s.Latest.MemoryRequest > 0 ? m / s.Latest.MemoryRequest : null;
            var underused = cpuShare < UnderusedBelow || memoryShare < UnderusedBelow;
            var summary = cpu is null
                ? $"asked for {Number(s.Latest.CpuRequest)} CPU; no usage was measured"
                : $"asked for {Number(s.Latest.CpuRequest)} CPU and used {Number((decimal)cpu.Value)} on average ({cpuShare:P0}); asked for {Gib(s.Latest.MemoryRequest)} memory and used {Gib((long)memory!.Value)} ({memoryShare:P0})";
            return new EnvironmentUsage(s.Id, s.Latest.UserName, s.Latest.EnvironmentName, s.Latest.GroupName, s.Latest.ProfileName, s.Latest.PoolName,
                Math.Round(s.Seconds / 3600, 4), s.Latest.CpuRequest, Round(cpu), s.Latest.MemoryRequest, Round(memory), s.Latest.Accelerators, s.Cost,
                Round(cpuShare), Round(memoryShare), underused, underused ? summary + " — consider a smaller size" : summary);
        }).OrderBy(e => e.User, StringComparer.Ordinal).ThenBy(e => e.Environment, StringComparer.Ordinal).ToList();
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 4) : null;

    private static string Number(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Gib(long bytes) => (bytes / 1073741824m).ToString("0.##", CultureInfo.InvariantCulture) + " GiB";
}
