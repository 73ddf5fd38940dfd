using System.Globalization;
using System.Text.Json;
using DevPlatform.Compute;
using DevPlatform.Metrics;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DevPlatform.Environments;

/// <summary>
/// Stops running environments their profile says have been idle too long, or have run too long. Idle means no
/// proxied traffic and no activity the environment reported (the hub protocol's activity, which includes kernel
/// activity) since the idle timeout; with a CPU floor, an environment using at least that much CPU is busy (and
/// its activity is recorded). The user gets a warning event before the stop; a cull stops and never deletes,
/// so the home is kept. Each environment is judged on its own.
/// </summary>
internal sealed class EnvironmentCuller(
    PlatformDbContext db, EnvironmentLifecycle lifecycle, EnvironmentRecorder recorder, SelectedBackend backend, TimeProvider time,
    IOptions<EnvironmentOptions> options, PlatformMetrics metrics, ILogger<EnvironmentCuller> logger)
{
    public async Task<string> CullIdleAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var running = await db.Environments.AsNoTracking().Where(e => e.State == EnvironmentState.Running)
            .Join(db.Profiles, e => e.ProfileName, p => p.Name, (e, p) => new { e.Id, e.StartedAt, e.LastActivityAt, e.CullWarnedAt, p.IdleTimeoutMinutes, p.IdleCpuFloor })
            .Where(x => x.IdleTimeoutMinutes > 0)
            .ToListAsync(cancellationToken);
        int stopped = 0, warned = 0, busy = 0;
        foreach (var candidate in running)
        {
            var since = Latest(candidate.LastActivityAt, candidate.StartedAt ?? now);
            var timeout = TimeSpan.FromMinutes(candidate.IdleTimeoutMinutes);
            var warnAt = since + timeout - Lead(timeout);
            if (now < warnAt)
            {
                continue;
            }

            var environment = await db.Environments.Include(e => e.User).FirstAsync(e => e.Id == candidate.Id, cancellationToken);
            if (candidate.IdleCpuFloor is { } floor && await CpuInUseAsync(environment, cancellationToken) is { } cores && cores >= floor)
            {
                environment.LastActivityAt = now; // busy without traffic (a headless kernel): that is activity
                await db.SaveChangesAsync(cancellationToken);
                busy++;
                continue;
            }

            if (now >= since + timeout)
            {
                await StopAsync(environment, "idle", $"Stopped after {Minutes(now - since)} without activity (the profile stops environments idle for {Minutes(timeout)}); the home is kept.", cancellationToken);
                stopped++;
            }
            else if (candidate.CullWarnedAt is null || candidate.CullWarnedAt < since)
            {
                await WarnAsync(environment, now, $"Idle for {Minutes(now - since)}: it will be stopped at {Clock(since + timeout)} unless it is used; the home is kept.", cancellationToken);
                warned++;
            }
        }

        return $"{running.Count} running with an idle timeout: stopped {stopped}, warned {warned}, busy by CPU {busy}.";
    }

    public async Task<string> CullAgedAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var running = await db.Environments.AsNoTracking().Where(e => e.State == EnvironmentState.Running && e.StartedAt != null)
            .Join(db.Profiles, e => e.ProfileName, p => p.Name, (e, p) => new { e.Id, StartedAt = e.StartedAt!.Value, e.CullWarnedAt, p.MaxAgeHours })
            .Where(x => x.MaxAgeHours != null)
            .ToListAsync(cancellationToken);
        int stopped = 0, warned = 0;
        foreach (var candidate in running)
        {
            var maxAge = TimeSpan.FromHours(candidate.MaxAgeHours!.Value);
            var end = candidate.StartedAt + maxAge;
            var warnAt = end - Lead(maxAge);
            if (now < warnAt)
            {
                continue;
            }

            var environment = await db.Environments.Include(e => e.User).FirstAsync(e => e.Id == candidate.Id, cancellationToken);
            if (now >= end)
            {
                await StopAsync(environment, "max_age", $"Stopped: it ran for {Minutes(now - candidate.StartedAt)}, the profile's limit is {Minutes(maxAge)}; the home is kept. Start it again to go on.", cancellationToken);
                stopped++;
            }
            else if (candidate.CullWarnedAt is null || candidate.CullWarnedAt < warnAt)
            {
                await WarnAsync(environment, now, $"It reaches the profile's limit of {Minutes(maxAge)} running and will be stopped at {Clock(end)}; the home is kept.", cancellationToken);
                warned++;
            }
        }

        return $"{running.Count} running with a maximum age: stopped {stopped}, warned {warned}.";
    }

    /// <summary>How long before a stop the user is warned: the configured lead, at most half the limit.</summary>
    private TimeSpan Lead(TimeSpan limit)
    {
        var lead = TimeSpan.FromMinutes(options.Value.CullWarningMinutes);
        return lead < limit / 2 ? lead : limit / 2;
    }

    private async Task<decimal?> CpuInUseAsync(UserEnvironment environment, CancellationToken cancellationToken)
    {
        if (environment.BackendState is null)
        {
            return null;
        }

        try
        {
            using var state = JsonDocument.Parse(environment.BackendState);
            return (await backend.Backend.GetUsageAsync(EnvironmentLifecycle.SpecOf(environment), state.RootElement, cancellationToken))?.CpuCores;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Could not read the CPU use of {User}/{Environment} ({Message}); judging it by activity alone", environment.User.Name, environment.Name, e.Message);
            return null;
        }
    }

    private async Task WarnAsync(UserEnvironment environment, DateTimeOffset now, string message, CancellationToken cancellationToken)
    {
        environment.CullWarnedAt = now;
        await recorder.ProgressAsync(db, environment, message, cancellationToken);
    }

    private async Task StopAsync(UserEnvironment environment, string reason, string message, CancellationToken cancellationToken)
    {
        logger.LogInformation("Culling {User}/{Environment} ({Reason})", environment.User.Name, environment.Name, reason);
        await lifecycle.StopAsync(environment.Id, message, cancellationToken);
        metrics.Culls.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }

    private static DateTimeOffset Latest(DateTimeOffset? activity, DateTimeOffset started) => activity is { } a && a > started ? a : started;

    private static string Minutes(TimeSpan span) => span.TotalMinutes < 120
        ? $"{(int)span.TotalMinutes} min"
        : $"{span.TotalHours.ToString("0.#", CultureInfo.InvariantCulture)} h";

    private static string Clock(DateTimeOffset at) => at.UtcDateTime.ToString("HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
