using Npgsql;

namespace DevPlatform.AppHost;

/// <summary>
/// A private PostgreSQL cluster in a folder of its own: initdb on first use, pg_ctl on a loopback port,
/// its socket kept in the folder. When we are root it runs as the <c>postgres</c> user. Used by the
/// AppHost (data kept between runs) and by the test fixtures (one throw-away cluster per test run).
/// </summary>
internal sealed class PostgresCluster(PostgresBinaries binaries, string root, bool forTests = false)
{
    private const UnixFileMode Traversable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public string Root { get; } = Path.GetFullPath(root);

    public string DataDirectory => Path.Combine(Root, "data");

    public string LogFile => Path.Combine(Root, "postgres.log");

    public int Port { get; private set; }

    /// <summary>The folder made and owned by the server's user, initdb on first use, a server left by a killed run stopped.</summary>
    public async Task PrepareAsync(string superuserPassword, CancellationToken cancellationToken)
    {
        if (Root.Contains('\'', StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The PostgreSQL folder {Root} contains a quote; choose another folder.");
        }

        Directory.CreateDirectory(Root);
        File.SetUnixFileMode(Root, Traversable);
        if (ProcessRunner.RunsAsRoot)
        {
            CheckReachableByPostgresUser(Root);
            await ProcessRunner.RunCheckedAsync("chown", ["-R", $"{ProcessRunner.PostgresUser}:", Root], false, cancellationToken);
        }

        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            await InitAsync(superuserPassword, cancellationToken);
        }

        if (await IsRunningAsync(cancellationToken))
        {
            await StopAsync(cancellationToken); // left behind by a killed run
        }
    }

    /// <summary>Starts the server in the background with pg_ctl (the test fixtures; the AppHost runs <see cref="ServerCommand"/> itself).</summary>
    public async Task StartAsync(string superuserPassword, int port, CancellationToken cancellationToken)
    {
        await PrepareAsync(superuserPassword, cancellationToken);
        var options = $"-p {port} " + string.Join(' ', ServerSettings.Select(s => s.Contains(' ', StringComparison.Ordinal) ? $"'{s}'" : s)) +
            (forTests ? " -c fsync=off -c synchronous_commit=off -c full_page_writes=off" : string.Empty);
        await ProcessRunner.RunCheckedAsync(binaries.PgCtl, ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", options, "start"], true, cancellationToken);
        Port = port;
    }

    /// <summary>
    /// The server in the foreground (its log on stdout), as the <c>postgres</c> user when we are root (<c>setpriv</c> changes
    /// user and execs). A small shell turns the orchestrator's SIGTERM into PostgreSQL's fast shutdown (SIGINT): on SIGTERM
    /// PostgreSQL would wait for every client to disconnect, and the orchestrator kills what does not stop in time. The
    /// port comes from <c>PGPORT</c>.
    /// </summary>
    public (string Command, string[] Arguments) ServerCommand()
    {
        const string FastShutdownOnTerm = "\"$0\" \"$@\" & pid=$!; trap 'kill -INT $pid' TERM INT; wait $pid; trap - TERM INT; wait $pid";
        string[] server = ["sh", "-c", FastShutdownOnTerm, binaries.Postgres, "-D", DataDirectory, .. ServerSettings];
        return ProcessRunner.RunsAsRoot
            ? ("setpriv", [$"--reuid={ProcessRunner.PostgresUser}", $"--regid={ProcessRunner.PostgresUser}", "--init-groups", .. server])
            : (server[0], server[1..]);
    }

    public void UsePort(int port) => Port = port;

    private string[] ServerSettings => ["-c", "listen_addresses=127.0.0.1", "-k", Root, "-c", "max_connections=300"];

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (await IsRunningAsync(cancellationToken))
        {
            await ProcessRunner.RunCheckedAsync(binaries.PgCtl, ["-D", DataDirectory, "-m", "fast", "-w", "stop"], true, cancellationToken);
        }
    }

    public async Task<bool> IsRunningAsync(CancellationToken cancellationToken) =>
        Directory.Exists(DataDirectory) && (await ProcessRunner.RunAsync(binaries.PgCtl, ["-D", DataDirectory, "status"], true, cancellationToken)).ExitCode == 0;

    public string ConnectionString(string database, string password) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Database = database, Username = "postgres", Password = password,
    }.ConnectionString;

    public async Task EnsureDatabaseAsync(string database, string password, CancellationToken cancellationToken, string? template = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres", password));
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = database } } };
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            var quoted = new NpgsqlCommandBuilder().QuoteIdentifier(database);
            var from = template is null ? string.Empty : $" TEMPLATE {new NpgsqlCommandBuilder().QuoteIdentifier(template)}";
            await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}{from}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private async Task InitAsync(string superuserPassword, CancellationToken cancellationToken)
    {
        var passwordFile = Path.Combine(Root, "initdb.pw");
        await File.WriteAllTextAsync(passwordFile, superuserPassword, cancellationToken);
        try
        {
            File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            if (ProcessRunner.RunsAsRoot)
            {
                await ProcessRunner.RunCheckedAsync("chown", [$"{ProcessRunner.PostgresUser}:", passwordFile], false, cancellationToken);
            }

            await ProcessRunner.RunCheckedAsync(binaries.InitDb,
                ["-D", DataDirectory, "-U", "postgres", $"--pwfile={passwordFile}", "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
                true, cancellationToken);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    /// <summary>The postgres user must be able to walk down to the folder (e.g. not under root's 0700 home).</summary>
    private static void CheckReachableByPostgresUser(string folder)
    {
        for (var dir = Path.GetDirectoryName(folder); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (!File.GetUnixFileMode(dir).HasFlag(UnixFileMode.OtherExecute))
            {
                throw new InvalidOperationException(
                    $"PostgreSQL runs as user '{ProcessRunner.PostgresUser}', which cannot enter {dir} (mode {File.GetUnixFileMode(dir)}). " +
                    "Run from a folder others may traverse, or set DEVPLATFORM_STATE_DIR to one (e.g. /var/tmp/devplatform).");
            }
        }
    }
}
