extern alias apphost;

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using apphost::DevPlatform.AppHost;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>
/// One private PostgreSQL for the whole test run (initdb + pg_ctl in a temp folder, as Testcontainers
/// would if we had an engine), with a template database migrated once; each test host gets a fresh
/// database copied from the template. Stopped and deleted when the test process exits.
/// </summary>
public sealed class TestPostgres
{
    private const string Password = "test-secret";
    private const string Template = "platform_template";
    private static readonly Lazy<Task<TestPostgres>> Instance = new(StartAsync);
    private static int databases;

    private readonly PostgresCluster cluster;

    private TestPostgres(PostgresCluster cluster) => this.cluster = cluster;

    public static Task<TestPostgres> SharedAsync() => Instance.Value;

    /// <summary>A new, migrated, empty database of its own.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"t{Environment.ProcessId}_{Interlocked.Increment(ref databases)}";
        await cluster.EnsureDatabaseAsync(name, Password, CancellationToken.None, Template);
        return Bounded(cluster.ConnectionString(name, Password));
    }

    /// <summary>A new database without any schema.</summary>
    public async Task<string> CreateEmptyDatabaseAsync()
    {
        var name = $"e{Environment.ProcessId}_{Interlocked.Increment(ref databases)}";
        await cluster.EnsureDatabaseAsync(name, Password, CancellationToken.None);
        return Bounded(cluster.ConnectionString(name, Password));
    }

    /// <summary>Every test host has a pool of its own on one shared cluster: keep each small and let idle connections go.</summary>
    private static string Bounded(string connectionString) =>
        new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 30, ConnectionIdleLifetime = 15 }.ConnectionString;

    private static async Task<TestPostgres> StartAsync()
    {
        var binaries = PostgresBinaries.Find() ?? throw new InvalidOperationException(PostgresBinaries.InstallHint);
        var root = TestFolders.Create("devplatform-pg-", deleteAtExit: false); // Stop deletes it once the server is down
        var cluster = new PostgresCluster(binaries, root, forTests: true);
        await cluster.StartAsync(Password, FreePort(), CancellationToken.None);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(binaries, cluster);

        await cluster.EnsureDatabaseAsync(Template, Password, CancellationToken.None);
        var options = new DbContextOptionsBuilder<PlatformDbContext>().UseNpgsql(cluster.ConnectionString(Template, Password))
            .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.PendingModelChangesWarning)).Options;
        await using (var db = new PlatformDbContext(options))
        {
            await DevPlatform.Persistence.PlatformSchema.MigrateAsync(db, CancellationToken.None);
        }

        Npgsql.NpgsqlConnection.ClearAllPools(); // a template must have no open connections when copied
        return new TestPostgres(cluster);
    }

    private static void Stop(PostgresBinaries binaries, PostgresCluster cluster)
    {
        var start = new ProcessStartInfo(ProcessRunner.RunsAsRoot ? "runuser" : binaries.PgCtl);
        foreach (var arg in (ProcessRunner.RunsAsRoot ? ["-u", ProcessRunner.PostgresUser, "--", binaries.PgCtl] : Array.Empty<string>())
            .Concat(["-D", cluster.DataDirectory, "-m", "immediate", "stop"]))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start);
        process?.WaitForExit(30_000);
        Directory.Delete(cluster.Root, recursive: true);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
