using DevPlatform.Hosting;
using DevPlatform.ServiceDefaults;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace DevPlatform.Persistence;

internal static class PersistenceExtensions
{
    public const string ConnectionStringName = "Platform";

    /// <summary>PostgreSQL through EF Core; the connection string is <c>ConnectionStrings:Platform</c>.</summary>
    public static IHostApplicationBuilder AddPersistence(this IHostApplicationBuilder builder)
    {
        builder.Services.AddDbContextPool<PlatformDbContext>((services, options) =>
            options.UseNpgsql(Pooled(ConnectionString(services.GetRequiredService<IConfiguration>())))
                // No model snapshot exists (see Migrations/MigrationSql.cs); the schema test guards drift instead.
                .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning)));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [ServiceDefaultsExtensions.ReadyTag]);
        builder.Services.Configure<DatabaseOptions>(builder.Configuration.GetSection(DatabaseOptions.Section));
        builder.Services.AddHostedService<SchemaCheck>();
        builder.Services.AddDataProtection().SetApplicationName("devplatform");
        builder.Services.AddOptions<KeyManagementOptions>().Configure<IServiceScopeFactory>((o, scopes) => o.XmlRepository = new DatabaseXmlRepository(scopes));
        return builder;
    }

    /// <summary>
    /// The connection string with <c>No Reset On Close</c> on unless it says otherwise: nothing here leaves session
    /// state behind (no SET, LISTEN, temporary tables or session advisory locks), so the reset Npgsql would otherwise send
    /// before every reuse of a pooled connection (seven statements ahead of each request's first query) is pure cost.
    /// </summary>
    public static string Pooled(string connectionString)
    {
        // NpgsqlConnectionStringBuilder.ContainsKey says whether a keyword is known, not whether it was given: ask the plain builder.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.Keys.Cast<string>().Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals("NoResetOnClose", StringComparison.OrdinalIgnoreCase)))
        {
            return connectionString;
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString;
    }

    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } value
            ? value
            : throw new StartupException(
                "No database configured: set ConnectionStrings__Platform (e.g. 'Host=127.0.0.1;Port=5432;Database=devplatform;Username=devplatform;Password=…'), " +
                "or start the platform with `dotnet run --project DevPlatform.AppHost`, which runs a private PostgreSQL.");
}
