namespace DevPlatform.Hosting;

/// <summary>What the host was asked to do: serve (the default), <c>migrate</c>, or <c>apply-catalog FILE</c>.</summary>
internal sealed record HostCommand(string Name, string? Argument, string[] HostArgs)
{
    public const string Serve = "serve";
    public const string Migrate = "migrate";
    public const string ApplyCatalog = "apply-catalog";
    public const string SchemaScript = "schema-script";
    public const string Render = "render";
    public const string Doctor = "doctor";

    public static HostCommand Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            return new HostCommand(Serve, null, args);
        }

        return args[0] switch
        {
            Serve or Migrate or SchemaScript or Doctor => new HostCommand(args[0], null, args[1..]),
            ApplyCatalog when args.Length >= 2 && !args[1].StartsWith('-') => new HostCommand(ApplyCatalog, args[1], args[2..]),
            Render when args.Length >= 2 && args[1] is "cluster" or "rules" or "prometheusrule" or "sftp" => new HostCommand(Render, args[1], args[2..]),
            _ => throw new StartupException(
                $"Unknown command '{args[0]}'. Use: (no command) to serve, 'migrate' to apply database migrations, 'apply-catalog FILE' to apply a catalog file, 'schema-script' to print the DDL the current model wants (for writing a migration), 'render cluster' to print the Karpenter and device plugin YAML for the pools, 'render rules' or 'render prometheusrule' to print the Prometheus rules, 'render sftp [DIR]' for the SFTP server's files, 'doctor' to check the configuration and what it must reach."),
        };
    }
}
