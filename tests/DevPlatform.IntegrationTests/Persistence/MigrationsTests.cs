using DevPlatform.IntegrationTests.Fixtures;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
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
