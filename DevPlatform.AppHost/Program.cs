using DevPlatform.AppHost;

// `dotnet run --project DevPlatform.AppHost`: the Aspire AppHost. It prepares a private PostgreSQL (initdb on first run,
// data kept in the state folder), then hands PostgreSQL, the migrations, the platform and any optional tools to Aspire's
// orchestrator (DCP), which starts them in order, shows them on the dashboard, and stops them all on Ctrl+C or SIGTERM.
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

using var stateLock = StateLock.TryAcquire(options.StateDirectory, options.BaseUrl, out var holder);
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

var secrets = LocalSecrets.LoadOrCreate(options.StateDirectory);
PostgresCluster? cluster = null;
if (options.ConnectionString is null)
{
    var binaries = PostgresBinaries.Find();
    if (binaries is null)
    {
        Console.Error.WriteLine($"apphost: {PostgresBinaries.InstallHint}");
        return 1;
    }

    cluster = new PostgresCluster(binaries, Path.Combine(options.StateDirectory, "postgres"));
    try
    {
        await cluster.PrepareAsync(secrets.PostgresPassword, CancellationToken.None);
    }
    catch (InvalidOperationException e)
    {
        Console.Error.WriteLine($"apphost: {e.Message}");
        return 1;
    }
}

DashboardDefaults.Apply();
var builder = DistributedApplication.CreateBuilder(options.AspireArgs);

// On Ctrl+C/SIGTERM wait until the orchestrator has stopped every resource (SIGTERM, then a kill after its grace
// period): PostgreSQL shuts down cleanly and the platform stops running environments before we exit.
builder.Configuration["DcpPublisher:WaitForResourceCleanup"] = "true";
var database = cluster is null
    ? new PlatformDatabase(builder.AddConnectionString("database", ReferenceExpression.Create($"{options.ConnectionString}")), null)
    : builder.AddPrivatePostgres(cluster, secrets.PostgresPassword, stateLock, options.BaseUrl);
var platform = builder.AddPlatform(options, secrets, database);
if (options.With.Contains(AppHostOptions.Prometheus))
{
    builder.AddPrometheus(options, secrets, platform);
}

builder.ForwardLogsToConsole();
PlatformFirstShutdown.Register(builder, options.Port);
builder.PrintBannerWhenReady(platform, options, cluster);
using var app = builder.Build();
await app.RunAsync();
return 0;
