using Hangfire.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DevPlatform.Persistence;

/// <summary>
/// The whole schema: our migrations, then Hangfire's tables in schema <c>hangfire</c> (its installer is versioned and
/// idempotent). Run once by the migration step, never by every host starting at once (two hosts installing Hangfire's
/// schema together race on CREATE SCHEMA).
/// </summary>
internal static class PlatformSchema
{
    public const string HangfireSchema = "hangfire";

    public static async Task MigrateAsync(PlatformDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.MigrateAsync(cancellationToken);
        await using var connection = new NpgsqlConnection(db.Database.GetConnectionString());
        await connection.OpenAsync(cancellationToken);
        PostgreSqlObjectsInstaller.Install(connection, HangfireSchema);
    }
}
