using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using DevPlatform.AppHost;

// Local orchestration: a private PostgreSQL (unless a connection string is given), the schema, the
// platform host; Ctrl+C or SIGTERM stops the host, then PostgreSQL.
AppHostOptions options;
try
{
    var parsed = AppHostOptions.Parse(args);
    if (parsed is null)
    {
        Console.WriteLine(AppHostOptions.Usage);
        return 0;
    }

    options = parsed;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"apphost: {e.Message}");
    return 2;
}

var baseUrl = $"http://127.0.0.1:{options.Port}";
using var stateLock = StateLock.TryAcquire(options.StateDirectory, baseUrl, out var holder);
if (stateLock is null)
{
    Console.Error.WriteLine($"apphost: DevPlatform is already running from {options.StateDirectory} ({holder}). Stop it with Ctrl+C in its terminal, or use another --state-dir.");
    return 1;
}

if (!PortHolder.IsFree(options.Port))
{
    Console.Error.WriteLine($"apphost: port {options.Port} on 127.0.0.1 is taken by {PortHolder.Describe(options.Port)}. Stop it, or pick another port with --port N.");
    return 1;
}

using var stopping = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stopping.Cancel(); });
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stopping.Cancel(); });

var secrets = LocalSecrets.LoadOrCreate(options.StateDirectory);
PostgresCluster? cluster = null;
try
{
    var connectionString = options.ConnectionString;
    if (connectionString is null)
    {
        var binaries = PostgresBinaries.Find();
        if (binaries is null)
        {
            Console.Error.WriteLine($"apphost: {PostgresBinaries.InstallHint}");
            return 1;
        }

        cluster = new PostgresCluster(binaries, Path.Combine(options.StateDirectory, "postgres"));
        Console.WriteLine($"Starting PostgreSQL in {cluster.Root} ...");
        await cluster.StartAsync(secrets.PostgresPassword, FreeLoopbackPort(), stopping.Token);
        await cluster.EnsureDatabaseAsync("devplatform", secrets.PostgresPassword, stopping.Token);
        connectionString = cluster.ConnectionString("devplatform", secrets.PostgresPassword);
        stateLock.PublishConnectionString(baseUrl, connectionString);
    }

    var environment = new Dictionary<string, string>
    {
        ["ConnectionStrings__Platform"] = connectionString,
        ["Platform__AdminToken"] = secrets.AdminToken,
        ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{options.Port}",
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["ASPNETCORE_CONTENTROOT"] = Path.GetDirectoryName(PlatformProcess.AssemblyPath)!,
        ["Logging__Console__FormatterName"] = "simple",
        ["Auth__Providers__0"] = "dev",
        ["Auth__DefaultGroup"] = "everyone",
        ["Auth__DevAdmins__0"] = "admin",
        ["Environments__StopOnShutdown"] = options.KeepEnvironments ? "false" : "true",
        ["Compute__Local__Root"] = Path.Combine(Path.GetFullPath(options.StateDirectory), "local"),
        ["Storage__Backups__Directory"] = Path.Combine(Path.GetFullPath(options.StateDirectory), "backups"), // all state under the state directory, never in the build output
    };
    if (options.CatalogFile is not null)
    {
        environment["Catalog__File"] = options.CatalogFile;
    }

    using (var migrate = PlatformProcess.Start(["migrate"], environment, inheritOutput: true))
    {
        await migrate.WaitForExitAsync(stopping.Token);
        if (migrate.ExitCode != 0)
        {
            Console.Error.WriteLine("apphost: applying the database migrations failed (see above).");
            return 1;
        }
    }

    using var platform = PlatformProcess.Start([], environment, inheritOutput: true);
    if (!await WaitUntilReadyAsync(platform, options.Port, stopping.Token))
    {
        Console.Error.WriteLine(platform.HasExited
            ? "apphost: the platform host exited before it was ready (see its log above)."
            : $"apphost: the platform host is not ready after 60 s; {baseUrl}/readyz says why. It keeps running; Ctrl+C stops it.");
    }
    else
    {
        Console.WriteLine($"""

            DevPlatform is ready (platform pid {platform.Id}).
              Sign in:      {baseUrl}/hub/login   (dev login: any username; new users join 'everyone')
              Admin:        sign in as 'admin' for the admin console ({baseUrl}/admin)
              API:          {baseUrl}/api   (Authorization: Bearer <admin token>, or your session)
              OpenAPI:      {baseUrl}/openapi/v1.json
              Health:       {baseUrl}/healthz  {baseUrl}/readyz
              Admin token:  in {Path.Combine(options.StateDirectory, "secrets.json")} ("AdminToken")
              Database:     {(cluster is null ? "the given connection string" : $"private PostgreSQL on 127.0.0.1:{cluster.Port}, data in {cluster.DataDirectory}")}
            Press Ctrl+C to stop{(options.KeepEnvironments ? "; environments keep running (--keep-environments) and are re-attached at the next start" : "; running environments are stopped first (--keep-environments leaves them running)")}.

            """);
    }

    try
    {
        await platform.WaitForExitAsync(stopping.Token);
        Console.Error.WriteLine($"apphost: the platform host exited with code {platform.ExitCode}.");
        return platform.ExitCode == 0 ? 0 : 1;
    }
    catch (OperationCanceledException)
    {
        Console.WriteLine("Stopping the platform ...");
        await PlatformProcess.StopAsync(platform, TimeSpan.FromSeconds(30));
        return 0;
    }
}
catch (OperationCanceledException)
{
    return 0;
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine($"apphost: {e.Message}");
    return 1;
}
finally
{
    if (cluster is not null)
    {
        Console.WriteLine("Stopping PostgreSQL ...");
        await cluster.StopAsync(CancellationToken.None);
    }
}

static int FreeLoopbackPort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

// Ready only when our own host answers: the listener on the port must be the platform process, not whatever else binds it.
static async Task<bool> WaitUntilReadyAsync(System.Diagnostics.Process platform, int port, CancellationToken cancellationToken)
{
    var baseUrl = $"http://127.0.0.1:{port}";
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
    var deadline = DateTime.UtcNow.AddSeconds(60);
    while (DateTime.UtcNow < deadline && !platform.HasExited)
    {
        try
        {
            using var response = await http.GetAsync(new Uri($"{baseUrl}/readyz"), cancellationToken);
            if (response.IsSuccessStatusCode && PortHolder.Pid(port) == platform.Id)
            {
                return true;
            }
        }
        catch (HttpRequestException)
        {
            // not listening yet
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // one probe timed out
        }

        await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
    }

    return false;
}
