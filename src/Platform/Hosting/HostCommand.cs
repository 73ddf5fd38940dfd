using System.CommandLine;

namespace DevPlatform.Hosting;

/// <summary>
/// What the host was asked to do, from the command line (System.CommandLine, <c>--help</c> on every command): serve
/// (the default), <c>migrate</c>, <c>apply-catalog FILE</c>, <c>render …</c>, <c>doctor</c>, <c>schema-script</c>.
/// Tokens no command takes (<c>--urls …</c>, <c>--Section:Key=value</c>) are the host's configuration.
/// </summary>
internal sealed record HostCommand(string Name, string? Argument, string[] HostArgs, string? Target = null)
{
    public const string Serve = "serve";
    public const string Migrate = "migrate";
    public const string ApplyCatalog = "apply-catalog";
    public const string SchemaScript = "schema-script";
    public const string Render = "render";
    public const string Doctor = "doctor";

    /// <summary>The command to run, or null with the exit code when the parser already answered (help, a usage error).</summary>
    public static (HostCommand? Command, int ExitCode) Parse(string[] args)
    {
        HostCommand? chosen = null;
        var root = new RootCommand("DevPlatform: the hub for multi-tenant Jupyter and VS Code environments. With no command it serves.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        root.SetAction(r => chosen = new HostCommand(Serve, null, r.UnmatchedTokens.ToArray()));
        root.Subcommands.Add(Simple(Serve, "Serve the hub, API, console and proxy (the default).", r => chosen = new HostCommand(Serve, null, r.UnmatchedTokens.ToArray())));
        root.Subcommands.Add(Simple(Migrate, "Apply the database migrations and exit (the Deployment's init container runs this).", r => chosen = new HostCommand(Migrate, null, r.UnmatchedTokens.ToArray())));
        root.Subcommands.Add(Simple(Doctor, "Check the configuration and everything it must reach (database, plugins, storage, Kubernetes permissions, DNS, SFTP, local workloads); one line per check with its fix. Works without a database.", r => chosen = new HostCommand(Doctor, null, r.UnmatchedTokens.ToArray())));
        root.Subcommands.Add(Simple(SchemaScript, "Print the DDL the current model wants (for writing a migration).", r => chosen = new HostCommand(SchemaScript, null, r.UnmatchedTokens.ToArray())));

        var file = new Argument<string>("file") { Description = "The catalog YAML (pools, profiles, groups and their policies)." };
        var apply = Simple(ApplyCatalog, "Apply a catalog file now; every entry in it wins over console edits (at start-up Catalog:File re-applies only entries the file changed).",
            r => chosen = new HostCommand(ApplyCatalog, r.GetValue(file), r.UnmatchedTokens.ToArray()));
        apply.Arguments.Add(file);
        root.Subcommands.Add(apply);

        var render = new Command(Render, "Print what the platform would install elsewhere.");
        render.Subcommands.Add(Simple("cluster", "Karpenter NodePools, EC2NodeClasses and device-plugin settings for the pools.", r => chosen = new HostCommand(Render, "cluster", r.UnmatchedTokens.ToArray())));
        render.Subcommands.Add(Simple("rules", "Prometheus alerting and recording rules (a rule file).", r => chosen = new HostCommand(Render, "rules", r.UnmatchedTokens.ToArray())));
        render.Subcommands.Add(Simple("prometheusrule", "The same rules as a Prometheus Operator PrometheusRule.", r => chosen = new HostCommand(Render, "prometheusrule", r.UnmatchedTokens.ToArray())));
        var folder = new Argument<string?>("dir") { Description = "Write the files here instead of printing them.", Arity = ArgumentArity.ZeroOrOne };
        var sftp = Simple("sftp", "The SFTP server's sshd configuration and helper.", r => chosen = new HostCommand(Render, "sftp", [.. r.UnmatchedTokens], r.GetValue(folder)));
        sftp.Arguments.Add(folder);
        render.Subcommands.Add(sftp);
        root.Subcommands.Add(render);

        var code = root.Parse(args is ["help", .. var rest] ? ["--help", .. rest] : args).Invoke();
        if (chosen is not null)
        {
            CheckHostArgs(chosen.HostArgs);
        }

        return (chosen, code);
    }

    private static Command Simple(string name, string description, Action<ParseResult> action)
    {
        var command = new Command(name, description) { TreatUnmatchedTokensAsErrors = false };
        command.SetAction(r => { action(r); return 0; });
        return command;
    }

    /// <summary>Configuration for the host (<c>--key value</c>, <c>--key=value</c>); a bare word is a mistyped command.</summary>
    private static void CheckHostArgs(string[] tokens)
    {
        for (var i = 0; i < tokens.Length; i++)
        {
            if (!tokens[i].StartsWith("--", StringComparison.Ordinal) && (i == 0 || !tokens[i - 1].StartsWith("--", StringComparison.Ordinal) || tokens[i - 1].Contains('=', StringComparison.Ordinal)))
            {
                throw new StartupException($"Unknown command or argument '{tokens[i]}'. Run with --help for the commands; configuration goes as --Section:Key=value.");
            }
        }
    }
}
