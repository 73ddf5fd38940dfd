using System.Data;
using DevPlatform.Environments;
using DevPlatform.Persistence;
using DevPlatform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DevPlatform.Hub.Rest;

/// <summary>
/// The read side of the JupyterHub models in one hand-written statement: the users chosen (by name, or a page of a filter),
/// their group names and the columns of their environments the models show. The hot path of
/// <c>GET /users</c> and <c>GET /users/{name}</c>; entity materialisation cost more than the query itself.
/// </summary>
internal static class HubUserReader
{
    private const string Columns = """
        SELECT c.id, c.name, c.admin, c.created_at, c.last_activity_at,
               coalesce(grouped.names, '{}'),
               e.id, e.name, e.state, e.request, e.backend_state::text, e.created_at, e.started_at, e.last_activity_at, e.failure_reason
        """;

    /// <summary>The chosen users' groups (aggregated once, not a subquery per user) and environments.</summary>
    private const string GroupsAndEnvironments = """

         LEFT JOIN (SELECT m.user_id, array_agg(g.name) AS names FROM memberships m JOIN groups g ON g.id = m.group_id
                    WHERE m.user_id IN (SELECT id FROM chosen) GROUP BY m.user_id) grouped ON grouped.user_id = c.id
         LEFT JOIN environments e ON e.user_id = c.id
        ORDER BY c.position, e.created_at
        """;

    /// <summary>How many users there are as the triggers keep it (<see cref="KeptCounts"/>): an unfiltered page counts no rows.</summary>
    private const string KeptUsers = $"(SELECT coalesce(sum(k.delta), 0)::bigint FROM row_counts k WHERE k.table_name = '{KeptCounts.UsersTable}')";

    public static async Task<HubUserView?> ByNameAsync(PlatformDbContext db, string name, CancellationToken cancellationToken) =>
        (await ReadAsync(db, "WITH chosen AS (SELECT u.id, u.name, u.admin, u.created_at, u.last_activity_at, 0 AS position FROM users u WHERE u.name = $1) " + Columns + " FROM chosen c" + GroupsAndEnvironments, [name], cancellationToken)).Views.FirstOrDefault();

    /// <summary>
    /// A page of the users the filter picks, in id order as JupyterHub pages them, and (when asked) how many it picks
    /// in all: one round trip, whatever the filter.
    /// </summary>
    public static async Task<(List<HubUserView> Page, int Total)> PageAsync(
        PlatformDbContext db, HubUserFilter filter, int offset, int limit, bool withTotal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        List<object> parameters = [offset, limit];
        var conditions = new List<string>();
        string Parameter(object value)
        {
            parameters.Add(value);
            return $"${parameters.Count}";
        }

        string Active() => $"EXISTS (SELECT 1 FROM environments a WHERE a.user_id = u.id AND a.state = ANY({Parameter(EnvironmentStates.Active.Select(s => s.ToString()).ToArray())}))";
        if (filter.State is { Length: > 0 } state)
        {
            conditions.Add(state switch
            {
                "active" => Active(),
                "ready" => $"EXISTS (SELECT 1 FROM environments a WHERE a.user_id = u.id AND a.state = {Parameter(nameof(EnvironmentState.Running))})",
                "inactive" => "NOT " + Active(),
                _ => throw new ArgumentException($"unknown state filter '{state}'", nameof(filter)),
            });
        }

        if (filter.Users is not null || filter.Groups is not null)
        {
            conditions.Add($"""
                (u.name = ANY({Parameter(filter.Users?.ToArray() ?? [])}) OR EXISTS (SELECT 1 FROM memberships m JOIN groups g ON g.id = m.group_id
                 WHERE m.user_id = u.id AND g.name = ANY({Parameter(filter.Groups?.ToArray() ?? [])})))
                """);
        }

        if (filter.NameContains is { Length: > 0 } name)
        {
            conditions.Add($"u.name ILIKE {Parameter(Api.LikePattern.Containing(name))} ESCAPE '\\'");
        }

        var where = conditions.Count == 0 ? string.Empty : "WHERE " + string.Join(" AND ", conditions);
        // Always one row at least (the count), so an empty page still says how many there are.
        var sql = $"""
            WITH chosen AS (SELECT u.id, u.name, u.admin, u.created_at, u.last_activity_at, u.id AS position FROM users u {where} ORDER BY u.id OFFSET $1 LIMIT $2)
            {Columns}, {(!withTotal ? "0::bigint" : conditions.Count == 0 ? KeptUsers : $"(SELECT count(*) FROM users u {where})")}
            FROM (SELECT 1) one LEFT JOIN chosen c ON TRUE{GroupsAndEnvironments}
            """;
        return await ReadAsync(db, sql, parameters, cancellationToken);
    }

    private static async Task<(List<HubUserView> Views, int Total)> ReadAsync(PlatformDbContext db, string sql, IEnumerable<object> parameters, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken); // EF's: opened here only if closed, and closed again only then
        try
        {
            await using var command = new NpgsqlCommand(sql, (NpgsqlConnection)db.Database.GetDbConnection());
            foreach (var parameter in parameters)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = parameter });
            }

            await command.PrepareAsync(cancellationToken);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var views = new List<HubUserView>();
            var total = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.FieldCount > 15)
                {
                    total = (int)reader.GetInt64(15);
                }

                if (reader.IsDBNull(0))
                {
                    continue; // a page past the end: the count alone
                }

                var id = reader.GetInt64(0);
                if (views.Count == 0 || views[^1].User.Id != id)
                {
                    var user = new User
                    {
                        Id = id, Name = reader.GetString(1), Admin = reader.GetBoolean(2), CreatedAt = reader.GetFieldValue<DateTimeOffset>(3),
                        LastActivityAt = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                    };
                    views.Add(new HubUserView(user, [.. reader.GetFieldValue<string[]>(5)], []));
                }

                if (!reader.IsDBNull(6))
                {
                    views[^1].Environments.Add(new UserEnvironment
                    {
                        Id = reader.GetGuid(6), UserId = id, Name = reader.GetString(7), State = Enum.Parse<EnvironmentState>(reader.GetString(8)),
                        Request = reader.GetString(9), BackendState = reader.IsDBNull(10) ? null : reader.GetString(10),
                        CreatedAt = reader.GetFieldValue<DateTimeOffset>(11), StartedAt = Optional(reader, 12), LastActivityAt = Optional(reader, 13),
                        FailureReason = reader.IsDBNull(14) ? null : reader.GetString(14),
                        GroupName = string.Empty, ProfileName = string.Empty, Spec = "{}", Backend = string.Empty, // not shown by the models
                    });
                }
            }

            return (views, total);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static DateTimeOffset? Optional(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetFieldValue<DateTimeOffset>(column);
}
