namespace DevPlatform.AppHost;

/// <summary>
/// From the command line (<c>--port 5080</c>, <c>--connection-string …</c>, <c>--state-dir …</c>,
/// <c>--catalog FILE</c>, <c>--keep-environments</c>) or the matching DEVPLATFORM_* environment variables.
/// </summary>
internal sealed record AppHostOptions(int Port, string? ConnectionString, string StateDirectory, string? CatalogFile, bool KeepEnvironments)
{
    public const int DefaultPort = 5080;

    public const string Usage = """
        Usage: dotnet run --project DevPlatform.AppHost [-- OPTIONS]

        Runs DevPlatform locally: a private PostgreSQL (initdb'd on first run), the database migrations, and the
        platform host with dev login and the local process backend. One instance per state directory.

        Options (each also read from the environment variable in brackets):
          --port N                 the platform's port on 127.0.0.1 (default 5080) [DEVPLATFORM_PORT]
          --state-dir DIR          PostgreSQL data, secrets, homes, backups (default ./.devplatform) [DEVPLATFORM_STATE_DIR]
          --connection-string CS   use this PostgreSQL instead of a private one [DEVPLATFORM_CONNECTION_STRING]
          --catalog FILE           catalog applied at start (default: catalog.yaml beside the AppHost) [DEVPLATFORM_CATALOG]
          --keep-environments      leave environments running when you press Ctrl+C (the next start re-attaches them)
          -h, --help               this text

        Sign in as 'admin' to administer; any other name is an ordinary user.
        """;

    /// <summary>The options, or null when only help was asked for.</summary>
    public static AppHostOptions? Parse(string[] args)
    {
        if (args.Any(a => a is "-h" or "--help" or "-?" or "help"))
        {
            return null;
        }

        string[] valued = ["--port", "--connection-string", "--state-dir", "--catalog"];
        for (var i = 0; i < args.Length; i++)
        {
            if (valued.Contains(args[i]))
            {
                i++;
                if (i >= args.Length)
                {
                    throw new ArgumentException($"{args[i - 1]} needs a value; see --help.");
                }
            }
            else if (args[i] != "--keep-environments")
            {
                throw new ArgumentException($"unknown option '{args[i]}'; see --help.");
            }
        }

        string? Option(string name, string variable)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : Environment.GetEnvironmentVariable(variable);
        }

        var portText = Option("--port", "DEVPLATFORM_PORT");
        var port = DefaultPort;
        if (portText is not null && (!int.TryParse(portText, out port) || port is < 1 or > 65535))
        {
            throw new ArgumentException($"--port / DEVPLATFORM_PORT must be a TCP port number (1-65535); got '{portText}'.");
        }

        return new AppHostOptions(
            port,
            Option("--connection-string", "DEVPLATFORM_CONNECTION_STRING"),
            Path.GetFullPath(Option("--state-dir", "DEVPLATFORM_STATE_DIR") ?? ".devplatform"),
            Option("--catalog", "DEVPLATFORM_CATALOG") ?? Path.Combine(AppContext.BaseDirectory, "catalog.yaml"),
            args.Contains("--keep-environments"));
    }
}
