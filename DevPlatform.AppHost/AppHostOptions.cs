namespace DevPlatform.AppHost;

/// <summary>
/// From the command line (<c>--port 5080</c>, <c>--connection-string …</c>, <c>--state-dir …</c>, <c>--catalog FILE</c>,
/// <c>--keep-environments</c>, <c>--with prometheus</c>) or the matching DEVPLATFORM_* environment variables. Arguments of
/// the form <c>Key=Value</c> or <c>--Key=Value</c> are configuration for Aspire itself and are passed on to it.
/// </summary>
internal sealed record AppHostOptions(
    int Port, string? ConnectionString, string StateDirectory, string? CatalogFile, bool KeepEnvironments, IReadOnlySet<string> With, string[] AspireArgs)
{
    public const int DefaultPort = 5080;

    /// <summary>Prometheus scraping the platform with the rendered alert rules, and Alertmanager sending to its webhook.</summary>
    public const string Prometheus = "prometheus";

    private static readonly string[] Optional = [Prometheus];

    public const string Usage = """
        Usage: dotnet run --project DevPlatform.AppHost [-- OPTIONS]

        Runs DevPlatform locally under .NET Aspire: a private PostgreSQL (initdb'd on first run), the database
        migrations, the platform host with dev login and the local process backend, and the Aspire dashboard
        (logs, traces and metrics of each). One instance per state directory.

        Options (each also read from the environment variable in brackets):
          --port N                 the platform's port on 127.0.0.1 (default 5080) [DEVPLATFORM_PORT]
          --state-dir DIR          PostgreSQL data, secrets, homes, backups (default ./.devplatform) [DEVPLATFORM_STATE_DIR]
          --connection-string CS   use this PostgreSQL instead of a private one [DEVPLATFORM_CONNECTION_STRING]
          --catalog FILE           catalog applied at start (default: catalog.yaml beside the AppHost) [DEVPLATFORM_CATALOG]
          --keep-environments      leave environments running when you press Ctrl+C (the next start re-attaches them)
          --with prometheus        also run Prometheus (scraping /metrics, with the platform's alert rules) and
                                   Alertmanager (sending to the platform's webhook) [DEVPLATFORM_WITH]
          Key=Value                configuration for Aspire itself (e.g. DcpPublisher:DependencyCheckTimeout=30)
          -h, --help               this text

        The dashboard listens on http://127.0.0.1:18888 (ASPNETCORE_URLS changes it); its login link is printed at start.
        Sign in to the platform as 'admin' to administer; any other name is an ordinary user.
        """;

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>The options, or null when only help was asked for.</summary>
    public static AppHostOptions? Parse(string[] args)
    {
        if (args.Any(a => a is "-h" or "--help" or "-?" or "help"))
        {
            return null;
        }

        string[] valued = ["--port", "--connection-string", "--state-dir", "--catalog", "--with"];
        var aspire = new List<string>();
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
            else if (args[i].Contains('=', StringComparison.Ordinal))
            {
                aspire.Add(args[i]);
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

        var with = (Option("--with", "DEVPLATFORM_WITH") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        if (with.FirstOrDefault(w => !Optional.Contains(w)) is { } unknown)
        {
            throw new ArgumentException($"--with / DEVPLATFORM_WITH names '{unknown}'; the optional resources are: {string.Join(", ", Optional)}.");
        }

        return new AppHostOptions(
            port,
            Option("--connection-string", "DEVPLATFORM_CONNECTION_STRING"),
            Path.GetFullPath(Option("--state-dir", "DEVPLATFORM_STATE_DIR") ?? ".devplatform"),
            Option("--catalog", "DEVPLATFORM_CATALOG") ?? Path.Combine(AppContext.BaseDirectory, "catalog.yaml"),
            args.Contains("--keep-environments"),
            with,
            [.. aspire]);
    }
}
