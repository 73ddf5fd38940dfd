namespace DevPlatform.AppHost;

/// <summary>
/// From the command line (<c>--port 5080</c>, <c>--connection-string …</c>, <c>--state-dir …</c>,
/// <c>--catalog FILE</c>) or the matching DEVPLATFORM_* environment variables.
/// </summary>
internal sealed record AppHostOptions(int Port, string? ConnectionString, string StateDirectory, string? CatalogFile)
{
    public const int DefaultPort = 5080;

    public static AppHostOptions Parse(string[] args)
    {
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
            Option("--catalog", "DEVPLATFORM_CATALOG") ?? Path.Combine(AppContext.BaseDirectory, "catalog.yaml"));
    }
}
