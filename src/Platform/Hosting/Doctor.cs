using DevPlatform.Abstractions;
using DevPlatform.Persistence;
using DevPlatform.Strategies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DevPlatform.Hosting;

/// <summary>
/// <c>DevPlatform.Platform doctor</c>: checks a configuration and what it must reach — the database and its schema,
/// the plugins, storage, the Kubernetes API and every permission the platform uses, the DNS provider, SFTP settings —
/// and prints one line per check with the fix. Exits 1 when something required fails.
/// </summary>
internal sealed class Doctor(IServiceProvider services, TextWriter output)
{
    private int failures;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        await CheckDatabaseAsync(provider, cancellationToken);
        CheckPlugins(provider.GetRequiredService<Plugins.PluginRegistry>());
        CheckStorage(provider.GetRequiredService<Storage.SelectedStorage>());
        CheckLocalWorkloads(provider);
        await CheckKubernetesAsync(provider, cancellationToken);
        await CheckDnsAsync(provider, cancellationToken);
        CheckSftp(provider);
        output.WriteLine(failures == 0 ? "All required checks passed." : $"{failures} required check(s) failed.");
        return failures == 0 ? 0 : 1;
    }

    private void Pass(string what) => output.WriteLine($"ok    {what}");

    private void Warn(string what, string fix) => output.WriteLine($"warn  {what} — {fix}");

    private void Fail(string what, string fix)
    {
        failures++;
        output.WriteLine($"FAIL  {what} — fix: {fix}");
    }

    private async Task CheckDatabaseAsync(IServiceProvider provider, CancellationToken cancellationToken)
    {
        if (provider.GetRequiredService<IConfiguration>()[AppHostState.SourceKey] is { } source)
        {
            output.WriteLine($"info  database: {source}");
        }

        try
        {
            var db = provider.GetRequiredService<PlatformDbContext>();
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count == 0)
            {
                Pass("database: reachable, schema current");
            }
            else
            {
                Fail($"database: {pending.Count} migration(s) not applied ({string.Join(", ", pending)})", "run 'DevPlatform.Platform migrate' (or let the Deployment's init container do it)");
            }
        }
        catch (StartupException)
        {
            Fail("database: not configured (no ConnectionStrings:Platform, and no running AppHost in ./.devplatform)",
                "set ConnectionStrings__Platform, or run doctor beside a running 'dotnet run --project DevPlatform.AppHost'; the other checks below still ran");
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException or System.Net.Sockets.SocketException)
        {
            Fail($"database: cannot connect ({e.GetBaseException().Message})", "check ConnectionStrings:Platform (host, port, database, user, password) and that the database accepts connections from here");
        }
    }

    private void CheckPlugins(Plugins.PluginRegistry registry)
    {
        var failed = registry.Statuses.Where(s => s.State != Plugins.PluginState.Loaded).ToList();
        if (failed.Count == 0)
        {
            Pass($"plugins: {registry.Statuses.Count} loaded ({string.Join(", ", registry.Statuses.Select(s => s.Id ?? s.Folder))})");
        }

        foreach (var plugin in failed)
        {
            Warn($"plugin {plugin.Folder}: {plugin.State.ToString().ToLowerInvariant()} ({plugin.Error})", "rebuild it against this host's contract, or remove its folder");
        }
    }

    private void CheckStorage(Storage.SelectedStorage storage)
    {
        try
        {
            var home = storage.Provider.Ensure(StorageArea.Home("svc--doctor")); // the svc-- prefix is the platform's own
            var probe = Path.Combine(home, ".devplatform-doctor");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
            if (!Directory.EnumerateFileSystemEntries(home).Any())
            {
                Directory.Delete(home);
            }

            Pass($"storage: {storage.Provider.DisplayName} is writable");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            Fail($"storage: {storage.Provider.DisplayName} is not usable ({e.Message})", "check Storage:Provider and its path (Storage:LocalDisk:Root or Storage:Efs:MountPath) and that this user may write there");
        }
    }

    /// <summary>With the local backend, the programs the default profiles start (warnings: a catalog may not use them all).</summary>
    private void CheckLocalWorkloads(IServiceProvider provider)
    {
        if (provider.GetRequiredService<IOptions<Compute.ComputeOptions>>().Value.Backend != Compute.Local.LocalProcessBackend.BackendName)
        {
            return;
        }

        var path = Environment.GetEnvironmentVariable("PATH");
        foreach (var (program, used) in new[] { ("python3", "package bundles and web profiles"), ("jupyterhub-singleuser", "Jupyter profiles"), ("code-server", "VS Code profiles") })
        {
            if (Compute.Local.CommandHints.Resolve(program, path) is { } found)
            {
                Pass($"local workloads: {program} at {found} ({used})");
            }
            else
            {
                Warn($"local workloads: {program} is not on PATH, so {used} cannot start", Compute.Local.CommandHints.NotInstalled(program));
            }
        }

        if (Environment.IsPrivilegedProcess)
        {
            Warn("local workloads: running as root", "workloads run as the invoking user; as root Jupyter is started with --allow-root. Run as an ordinary user where you can");
        }
    }

    private async Task CheckKubernetesAsync(IServiceProvider provider, CancellationToken cancellationToken)
    {
        if (provider.GetRequiredService<IOptions<Compute.ComputeOptions>>().Value.Backend != Kubernetes.Compute.KubernetesBackend.BackendName)
        {
            return;
        }

        Kubernetes.Client.ClusterApi client;
        try
        {
            client = Compute.ComputeExtensions.Connect(provider);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A missing file, a broken kubeconfig, an exec plugin that is not installed or fails (k8s.Exceptions.KubeConfigException and others).
            Fail($"kubernetes: cannot load the cluster configuration ({e.Message.TrimEnd('.')}{(e.InnerException is { } inner ? ": " + inner.Message.TrimEnd('.') : "")})",
                "run in the cluster with a service account, or set Kubernetes:KubeConfig (and Kubernetes:Context) to a kubeconfig whose exec plugin, if any, is installed on this machine");
            return;
        }

        var denied = new List<string>();
        try
        {
            foreach (var (group, resource, verb) in Kubernetes.Client.RequiredPermissions.All)
            {
                var (allowed, _) = await client.CanIAsync(group, resource, verb, cancellationToken);
                if (!allowed)
                {
                    denied.Add($"{verb} {resource}{(group.Length == 0 ? "" : "." + group)}");
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or Kubernetes.Client.KubernetesApiException or TaskCanceledException or k8s.Exceptions.KubernetesClientException or k8s.Exceptions.KubeConfigException)
        {
            Fail($"kubernetes: the API server did not answer ({e.Message})", "check the cluster address and credentials (Kubernetes:KubeConfig, Kubernetes:Context) and network access to it");
            return;
        }

        if (denied.Count == 0)
        {
            Pass($"kubernetes: API reachable; all {Kubernetes.Client.RequiredPermissions.All.Count} permissions granted");
        }
        else
        {
            Fail($"kubernetes: the service account may not {string.Join("; ", denied)}", "apply deploy/kubernetes/base/rbac.yaml and bind the ClusterRole to the platform's service account");
        }
    }

    private async Task CheckDnsAsync(IServiceProvider provider, CancellationToken cancellationToken)
    {
        if (provider.GetRequiredService<NamedStrategies<IDnsProvider>>().Find(provider.GetRequiredService<IOptions<Access.DnsOptions>>().Value.Provider) is not { } dns)
        {
            return;
        }

        Access.DnsReconciler reconciler;
        try
        {
            reconciler = provider.GetRequiredService<Access.DnsReconciler>();
        }
        catch (StartupException)
        {
            Warn($"dns: {dns.Name} not checked", "it compares the zone with the database's records; configure the database first");
            return;
        }

        try
        {
            var plan = await reconciler.PlanAsync(dns, cancellationToken);
            Pass($"dns: {dns.Name} answers for zone {plan.Zone}; {plan.Changes.Count} change(s) pending");
        }
        catch (DnsProviderException e)
        {
            Fail($"dns: {dns.Name} refused or unreachable ({e.Message})", "check the Dns:* settings (server and key, or hosted zone and IAM permissions)");
        }
    }

    private void CheckSftp(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<Access.SftpOptions>>().Value;
        if (provider.GetRequiredService<NamedStrategies<ISftpProvider>>().Find(options.Provider) is not { } sftp)
        {
            return;
        }

        if (string.IsNullOrEmpty(options.Host))
        {
            Warn($"sftp: {sftp.DisplayName} has no Sftp:Host", "set it so users are told where to connect");
        }
        else
        {
            Pass($"sftp: {sftp.DisplayName} at {options.Host}:{options.Port} (accounts are checked by the sftp-sync job)");
        }
    }
}
