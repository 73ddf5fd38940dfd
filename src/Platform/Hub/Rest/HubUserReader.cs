using System.Data;
using DevPlatform.Environments;
using DevPlatform.Persistence;
using DevPlatform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DevPlatform.Hub.Rest;

/// <summary>
/// The read side of the JupyterHub models in one hand-written statement: the users chosen (by name, or by id in a
/// page's order), their group names and the columns of their environments the models show. The hot path of
/// <c>GET /users</c> and <c>GET /users/{name}</c>; entity materialisation cost more than the query itself.
/// </summary>
internal static class HubUserReader
{
    private const string Select = """
        SELECT c.id, c.name, c.admin, c.created_at, c.last_activity_at,
               ARRAY(SELECT g.name FROM memberships m JOIN groups g ON g.id = m.group_id WHERE m.user_id = c.id),
               e.id, e.name, e.state, e.request, e.backend_state::text, e.created_at, e.started_at, e.last_activity_at, e.failure_reason
        FROM chosen c LEFT JOIN environments e ON e.user_id = c.id
        ORDER BY c.position, e.created_at
        """;

    public static async Task<HubUserView?> ByNameAsync(PlatformDbContext db, string name, CancellationToken cancellationToken) =>
        (await ReadAsync(db, "WITH chosen AS (SELECT u.*, 0 AS position FROM users u WHERE u.name = $1) " + Select, name, cancellationToken)).FirstOrDefault();

    /// <summary>The users with these ids, in the order given (missing ones left out).</summary>
    public static Task<List<HubUserView>> ByIdsAsync(PlatformDbContext db, IReadOnlyList<long> ids, CancellationToken cancellationToken) =>
        ids.Count == 0
            ? Task.FromResult(new List<HubUserView>())
            : ReadAsync(db, "WITH chosen AS (SELECT u.*, p.position FROM unnest($1::bigint[]) WITH ORDINALITY AS p(id, position) JOIN users u ON u.id = p.id) " + Select,
                ids.ToArray(), cancellationToken);

    private static async Task<List<HubUserView>> ReadAsync(PlatformDbContext db, string sql, object parameter, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(cancellationToken);
        }

        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var views = new List<HubUserView>();
            while (await reader.ReadAsync(cancellationToken))
            {
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

            return views;
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }

    private static DateTimeOffset? Optional(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetFieldValue<DateTimeOffset>(column);
}
