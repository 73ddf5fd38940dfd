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
                .AddInterceptors(LimitsWrittenIntoSql.Instance)
                // No model snapshot exists (see Migrations/MigrationSql.cs); the schema test guards drift instead.
                .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning)));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [ServiceDefaultsExtensions.ReadyTag]);
        builder.Services.Configure<DatabaseOptions>(builder.Configuration.GetSection(DatabaseOptions.Section));
        builder.Services.AddHostedService<SchemaCheck>();
        builder.Services.AddSingleton<Abstractions.IPlatformJob, RowCountsJob>();
        builder.Services.AddDataProtection().SetApplicationName("devplatform");
        builder.Services.AddOptions<KeyManagementOptions>().Configure<IServiceScopeFactory>((o, scopes) => o.XmlRepository = new DatabaseXmlRepository(scopes));
        return builder;
    }

    /// <summary>
    /// The connection string with the pool's defaults for this workload, each unless the string says otherwise:
    /// <list type="bullet">
    /// <item><c>No Reset On Close</c>: nothing here leaves session state behind (no SET, LISTEN, temporary tables or session
    /// advisory locks), so the reset Npgsql would otherwise send before every reuse of a pooled connection (seven
    /// statements ahead of each request's first query) is pure cost.</item>
    /// <item><c>Max Auto Prepare=100</c>: each connection prepares the statements it runs most, so PostgreSQL plans them once
    /// instead of on every request (planning took 1–2 ms of a 0.4 ms list query); see docs/benchmarks.md for what it
    /// measured and the indexes that keep the generic plans good.</item>
    /// </list>
    /// </summary>
    public static string Pooled(string connectionString)
    {
        // NpgsqlConnectionStringBuilder.ContainsKey says whether a keyword is known, not whether it was given: ask the plain builder.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        if (!given.Contains("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = AutoPreparedStatements;
        }

        return builder.ConnectionString;
    }

    public const int AutoPreparedStatements = 100;

    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } value
            ? value
            : throw new StartupException(
                "No database configured: set ConnectionStrings__Platform (e.g. 'Host=127.0.0.1;Port=5432;Database=devplatform;Username=devplatform;Password=…'), " +
                "or start the platform with `dotnet run --project DevPlatform.AppHost`, which runs a private PostgreSQL.");
}
