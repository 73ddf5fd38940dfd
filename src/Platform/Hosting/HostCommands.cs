using DevPlatform.Catalog.File;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Hosting;

/// <summary>The one-shot commands: run against the configured database, print what they did, return an exit code.</summary>
internal static class HostCommands
{
    public static async Task<int> MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await PlatformSchema.MigrateAsync(db, cancellationToken);
        Console.WriteLine(pending.Count == 0 ? "Database schema is current; nothing to apply." : $"Applied {pending.Count} migration(s): {string.Join(", ", pending)}");
        return 0;
    }

    /// <summary>Prints the DDL EF Core derives from the current model: the reference for a new migration's SQL.</summary>
    public static int PrintSchemaScript(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        Console.WriteLine(scope.ServiceProvider.GetRequiredService<PlatformDbContext>().Database.GenerateCreateScript());
        return 0;
    }

    /// <summary><c>render rules</c> (a rules file for <c>rule_files</c>) or <c>render prometheusrule</c> (the Operator's object), as YAML on stdout.</summary>
    public static int RenderRules(IServiceProvider services, bool operatorObject)
    {
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Metrics.AlertRulesOptions>>().Value;
        Console.Out.Write(Kubernetes.Cluster.ClusterManifests.ToYaml([operatorObject ? Metrics.AlertRules.PrometheusRule(options) : Metrics.AlertRules.File(options)]));
        return 0;
    }

    /// <summary><c>render cluster</c>: the pools' Karpenter NodePools, EC2NodeClasses and device plugin ConfigMaps as YAML on stdout.</summary>
    public static async Task<int> RenderClusterAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var objects = await scope.ServiceProvider.GetRequiredService<Compute.ClusterRender>().RenderAsync(cancellationToken);
        Console.Write(Kubernetes.Cluster.ClusterManifests.ToYaml(objects));
        return 0;
    }

    /// <summary>
    /// <c>render sftp [DIR]</c>: the files the configured SFTP provider needs on its server (sshd_config fragment, helper,
    /// timer), written under DIR at their paths (executables 0755, others 0644), or printed with a header each.
    /// </summary>
    public static int RenderSftp(IServiceProvider services, string? directory)
    {
        var name = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Access.SftpOptions>>().Value.Provider;
        if (services.GetRequiredService<Strategies.NamedStrategies<Abstractions.ISftpProvider>>().Find(name) is not { } provider)
        {
            Console.Error.WriteLine("Sftp:Provider is empty or unknown; set it to 'openssh' to render the OpenSSH files.");
            return 1;
        }

        IReadOnlyDictionary<string, string> files;
        try
        {
            files = provider.SetupFiles();
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }

        foreach (var (path, content) in files)
        {
            if (directory is null)
            {
                Console.Write($"### {path}\n{content}\n");
                continue;
            }

            var target = Path.Combine(Path.GetFullPath(directory), path.TrimStart('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, content);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(target, content.StartsWith("#!", StringComparison.Ordinal)
                    ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute
                    : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            Console.WriteLine($"wrote {target}");
        }

        return 0;
    }

    public static async Task<int> ApplyCatalogAsync(IServiceProvider services, string file, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        try
        {
            var changes = await scope.ServiceProvider.GetRequiredService<CatalogFileApplier>()
                .ApplyAsync(Path.GetFullPath(file), $"cli:{Environment.UserName}", CatalogApplyMode.Everything, cancellationToken);
            foreach (var change in changes)
            {
                Console.WriteLine($"{change.ResourceType} {change.Name}: {change.Outcome.ToString().ToLowerInvariant()}");
            }

            Console.WriteLine($"Applied {file}: {CatalogChangeSummary.Describe(changes)}.");
            return 0;
        }
        catch (CatalogFileException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }
}
