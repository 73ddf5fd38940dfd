using DevPlatform.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DevPlatform.Persistence;

/// <summary>At start-up: the database answers and its schema is at this build's latest migration.</summary>
internal sealed class SchemaCheck(IServiceScopeFactory scopes, IOptions<DatabaseOptions> options, ILogger<SchemaCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
        try
        {
            if (options.Value.MigrateOnStartup)
            {
                await PlatformSchema.MigrateAsync(db, cancellationToken);
                return;
            }

            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                throw new StartupException(
                    $"The database schema is {pending.Count} migration(s) behind this build (next: {pending[0]}); " +
                    "run `DevPlatform.Platform migrate` (or set Database__MigrateOnStartup=true).");
            }

            logger.LogInformation("Database schema is current");
        }
        catch (NpgsqlException e)
        {
            throw new StartupException($"Cannot reach the database ({db.Database.GetDbConnection().DataSource}): {e.Message}");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
