using DevPlatform.Identity;
using DevPlatform.IntegrationTests.Fixtures;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace DevPlatform.IntegrationTests.Persistence;

/// <summary>The checked-in migrations build exactly the schema the EF model describes (our stand-in for a model snapshot).</summary>
public sealed class MigrationsTests
{
    private const string Describe = """
        SELECT table_name || '.' || column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '')
               || coalesce('(' || numeric_precision || ',' || numeric_scale || ')', '') || ' ' || is_nullable
        FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '__EFMigrationsHistory'
        UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '__EFMigrationsHistory'
        UNION ALL SELECT conrelid::regclass || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text NOT LIKE '%EFMigrationsHistory%'
        ORDER BY 1
        """;

    [Fact]
    public async Task Migrations_ProduceTheSchemaTheModelDescribes()
    {
        var postgres = await TestPostgres.SharedAsync();
        var migrated = await postgres.CreateEmptyDatabaseAsync();
        var fromModel = await postgres.CreateEmptyDatabaseAsync();

        await using (var db = Context(migrated))
        {
            await db.Database.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }

        await using (var db = Context(fromModel))
        {
            await db.Database.ExecuteSqlRawAsync(db.Database.GenerateCreateScript());
        }

        Assert.Equal(await DescribeAsync(fromModel), await DescribeAsync(migrated));
    }

    [Fact]
    public async Task OneTokenStore_KeepsRunningEnvironmentsTokens_AndReverts()
    {
        var postgres = await TestPostgres.SharedAsync();
        var database = await postgres.CreateEmptyDatabaseAsync();
        await using var db = Context(database);
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync("20261122030000_Identity");
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO users (id, name, admin, disabled, created_at, updated_at) VALUES (7, 'ada', false, false, now(), now());
            INSERT INTO api_tokens (user_id, name, hash, prefix, scopes, created_at, expires_at) VALUES (7, 'laptop', 'p1', 'dvp_abc', ARRAY['read-only'], now(), now() + interval '1 day');
            INSERT INTO environments (id, user_id, name, group_name, profile_name, request, spec, state, backend, cpu_request, memory_request, accelerators,
                hourly_rate, start_timeout_seconds, created_at, updated_at)
            VALUES ('00000000-0000-0000-0000-000000000001', 7, 'main', 'g', 'p', '{{}}', '{{}}', 'Running', 'process', 1, 1, 0, 0, 60, now(), now());
            INSERT INTO hub_tokens (hash, kind, user_id, environment_id, scopes, created_at) VALUES ('s1', 'Server', 7, '00000000-0000-0000-0000-000000000001', ARRAY['x'], now());
            INSERT INTO hub_tokens (hash, kind, user_id, environment_id, scopes, session_id, created_at, expires_at)
                VALUES ('o1', 'OAuth', 7, '00000000-0000-0000-0000-000000000001', ARRAY['y'], 'sess', now(), now() + interval '14 days');
            """);

        await migrator.MigrateAsync();
        var tokens = await db.ApiTokens.AsNoTracking().OrderBy(t => t.Hash).ToListAsync();
        Assert.Equal(["o1:OAuth:sess", "p1:Personal:laptop", "s1:Server:"], tokens.Select(t => $"{t.Hash}:{t.Kind}:{t.SessionId ?? t.Name}"));
        Assert.All(tokens.Where(t => t.Kind != ApiTokenKind.Personal), t => Assert.Equal(Guid.Parse("00000000-0000-0000-0000-000000000001"), t.EnvironmentId));

        await migrator.MigrateAsync("20261122030000_Identity");
        await migrator.MigrateAsync();
        Assert.Equal(3, await db.ApiTokens.CountAsync());
    }

    private static PlatformDbContext Context(string connectionString) => new(new DbContextOptionsBuilder<PlatformDbContext>()
        .UseNpgsql(connectionString).ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning)).Options);

    private static async Task<List<string>> DescribeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(Describe, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        Assert.NotEmpty(rows);
        return rows;
    }
}
