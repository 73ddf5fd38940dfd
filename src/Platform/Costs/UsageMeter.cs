using System.Text.Json;
using DevPlatform.Abstractions;
using DevPlatform.Api;
using DevPlatform.Compute;
using DevPlatform.Environments;
using DevPlatform.Metrics;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace DevPlatform.Costs;

/// <summary>
/// Each pass records, for every environment that ran since it was last metered, its running time per UTC hour
/// since then, what it asked for, what it used (the backend's usage, averaged since its previous sample, where it
/// reports one) and its cost at the rate fixed at launch. Stopped environments get their last stretch up to the
/// stop. All rows of a pass are written in one statement, together with each environment's metered-until mark,
/// in one transaction: a pass that fails records nothing and the next one covers the time.
/// </summary>
internal sealed class UsageMeter(PlatformDbContext db, SelectedBackend backend, TimeProvider time, PlatformMetrics metrics, ILogger<UsageMeter> logger)
{
    /// <summary>Environments with running time not yet in the usage records: active ones, and stopped ones since their last pass.</summary>
    public static readonly System.Linq.Expressions.Expression<Func<UserEnvironment, bool>> Unmetered = e => e.StartedAt != null
        && (EnvironmentStates.Active.Contains(e.State) || (e.StoppedAt != null && (e.MeteredUntil == null || e.MeteredUntil < e.StoppedAt)));

    public async Task<string> MeterAsync(IReadOnlyCollection<Guid>? only, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var query = db.Environments.AsNoTracking().Where(Unmetered);
        if (only is not null)
        {
            query = query.Where(e => only.Contains(e.Id));
        }

        var due = await query.Select(e => new Due(
            e.Id, e.Name, e.User.Name, e.GroupName, e.ProfileName, e.PoolName, e.State, e.StartedAt!.Value, e.StoppedAt, e.MeteredUntil,
            e.CpuRequest, e.MemoryRequest, e.Accelerators, e.HourlyRate, e.Spec, e.BackendState)).ToListAsync(cancellationToken);
        var rows = new List<Row>();
        var marks = new List<(Guid Id, DateTimeOffset? Previous, DateTimeOffset Until)>();
        foreach (var environment in due)
        {
            var from = environment.MeteredUntil ?? environment.StartedAt;
            var to = environment.State.IsActive() || environment.StoppedAt is null ? now : environment.StoppedAt.Value;
            if (to <= from)
            {
                continue;
            }

            var usage = environment.State == EnvironmentState.Running ? await UsageAsync(environment, cancellationToken) : null;
            rows.AddRange(Split(environment, from, to, usage));
            marks.Add((environment.Id, environment.MeteredUntil, to));
        }

        if (marks.Count > 0 && !await WriteAsync(rows, marks, cancellationToken))
        {
            return $"another metering pass recorded some of these {marks.Count} environment(s) meanwhile; nothing recorded, the next pass covers the time.";
        }

        foreach (var spent in rows.GroupBy(r => (r.Due.GroupName, r.Due.PoolName)))
        {
            metrics.Spend.Add((double)spent.Sum(r => r.Cost), new("group", spent.Key.GroupName), new("pool", spent.Key.PoolName));
        }

        return $"metered {marks.Count} environment(s) into {rows.Count} hourly record(s), {rows.Sum(r => r.Cost):0.####} USD.";
    }

    /// <summary>[from, to) cut at UTC hour boundaries; cost and measured use pro rata.</summary>
    internal static IEnumerable<Row> Split(Due environment, DateTimeOffset from, DateTimeOffset to, BackendUsage? usage)
    {
        for (var start = from; start < to;)
        {
            var hour = new DateTimeOffset(start.Year, start.Month, start.Day, start.Hour, 0, 0, TimeSpan.Zero);
            var end = hour.AddHours(1) < to ? hour.AddHours(1) : to;
            var seconds = (end - start).TotalSeconds;
            yield return new Row(environment, hour, seconds, usage is null ? 0 : seconds, usage is null ? 0 : (double)usage.CpuCores * seconds,
                usage is null ? 0 : usage.MemoryBytes * seconds, decimal.Round(environment.HourlyRate * (decimal)seconds / 3600m, 10));
            start = end;
        }
    }

    private async Task<BackendUsage?> UsageAsync(Due environment, CancellationToken cancellationToken)
    {
        if (environment.BackendState is null)
        {
            return null;
        }

        try
        {
            using var state = JsonDocument.Parse(environment.BackendState);
            return await backend.Backend.GetUsageAsync(PlatformJson.Deserialize<EnvironmentSpec>(environment.Spec), state.RootElement, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("No usage for {User}/{Environment} this pass ({Message}); its time and cost are still recorded", environment.UserName, environment.Name, e.Message);
            return null;
        }
    }

    /// <summary>
    /// Moves each environment's mark from the value this pass read (so a concurrent pass — a restart's tail metering
    /// beside the job — cannot count the same time twice: then nothing is written), then adds the hourly records.
    /// </summary>
    private async Task<bool> WriteAsync(List<Row> rows, List<(Guid Id, DateTimeOffset? Previous, DateTimeOffset Until)> marks, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var mark = new NpgsqlCommand("""
                UPDATE environments SET metered_until = m.until FROM unnest($1, $2, $3) AS m(id, previous, until)
                WHERE environments.id = m.id AND environments.metered_until IS NOT DISTINCT FROM m.previous
                """, connection, transaction))
            {
                Add(mark, NpgsqlDbType.Uuid, marks.Select(m => m.Id));
                Add(mark, NpgsqlDbType.TimestampTz, marks.Select(m => m.Previous));
                Add(mark, NpgsqlDbType.TimestampTz, marks.Select(m => m.Until));
                if (await mark.ExecuteNonQueryAsync(cancellationToken) != marks.Count)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    return false;
                }
            }

            await using (var upsert = new NpgsqlCommand(UpsertSql, connection, transaction))
            {
                Add(upsert, NpgsqlDbType.Uuid, rows.Select(r => r.Due.Id));
                Add(upsert, NpgsqlDbType.Varchar, rows.Select(r => r.Due.Name));
                Add(upsert, NpgsqlDbType.TimestampTz, rows.Select(r => r.Hour));
                Add(upsert, NpgsqlDbType.Varchar, rows.Select(r => r.Due.UserName));
                Add(upsert, NpgsqlDbType.Varchar, rows.Select(r => r.Due.GroupName));
                Add(upsert, NpgsqlDbType.Varchar, rows.Select(r => r.Due.ProfileName));
                Add(upsert, NpgsqlDbType.Varchar, rows.Select(r => r.Due.PoolName));
                Add(upsert, NpgsqlDbType.Numeric, rows.Select(r => r.Due.CpuRequest));
                Add(upsert, NpgsqlDbType.Bigint, rows.Select(r => r.Due.MemoryRequest));
                Add(upsert, NpgsqlDbType.Integer, rows.Select(r => r.Due.Accelerators));
                Add(upsert, NpgsqlDbType.Double, rows.Select(r => r.Seconds));
                Add(upsert, NpgsqlDbType.Double, rows.Select(r => r.MeasuredSeconds));
                Add(upsert, NpgsqlDbType.Double, rows.Select(r => r.CpuCoreSeconds));
                Add(upsert, NpgsqlDbType.Double, rows.Select(r => r.MemoryByteSeconds));
                Add(upsert, NpgsqlDbType.Numeric, rows.Select(r => r.Cost));
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return true;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static void Add<T>(NpgsqlCommand command, NpgsqlDbType type, IEnumerable<T> values) =>
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | type, Value = values.ToArray() });

    private const string UpsertSql = """
        INSERT INTO usage_hours (environment_id, environment_name, hour, user_name, group_name, profile_name, pool_name, cpu_request, memory_request, accelerators,
                                 seconds, measured_seconds, cpu_used_core_seconds, memory_used_byte_seconds, cost)
        SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
        ON CONFLICT (environment_id, hour) DO UPDATE SET
            seconds = usage_hours.seconds + excluded.seconds,
            measured_seconds = usage_hours.measured_seconds + excluded.measured_seconds,
            cpu_used_core_seconds = usage_hours.cpu_used_core_seconds + excluded.cpu_used_core_seconds,
            memory_used_byte_seconds = usage_hours.memory_used_byte_seconds + excluded.memory_used_byte_seconds,
            cost = usage_hours.cost + excluded.cost,
            cpu_request = excluded.cpu_request, memory_request = excluded.memory_request, accelerators = excluded.accelerators
        """;

    internal sealed record Due(
        Guid Id, string Name, string UserName, string GroupName, string ProfileName, string PoolName, EnvironmentState State, DateTimeOffset StartedAt,
        DateTimeOffset? StoppedAt, DateTimeOffset? MeteredUntil, decimal CpuRequest, long MemoryRequest, int Accelerators, decimal HourlyRate, string Spec, string? BackendState);

    internal sealed record Row(Due Due, DateTimeOffset Hour, double Seconds, double MeasuredSeconds, double CpuCoreSeconds, double MemoryByteSeconds, decimal Cost);
}
