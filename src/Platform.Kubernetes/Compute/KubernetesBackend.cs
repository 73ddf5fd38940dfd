using System.Net;
using System.Text.Json;
using DevPlatform.Abstractions;
using DevPlatform.Kubernetes.Client;
using k8s;
using k8s.Models;
using ResourceQuantity = DevPlatform.Abstractions.ResourceQuantity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DevPlatform.Kubernetes.Compute;

/// <summary>
/// Runs environments as pods (see <see cref="WorkloadObjects"/>), applied with server-side apply. Progress
/// comes from a watch on the pod and the events about it, said in words (scheduling, image pull, container
/// start; FailedScheduling and ImagePullBackOff as the user should read them). A start that fails or is
/// cancelled (start timeout) deletes what it created, except the user's home claim — once the pod exists its state is
/// reported to the platform first (<see cref="IStartProgress"/>), and a cancelled start leaves removal to the platform, so a
/// hub restarting mid-start does not take the user's start with it. Strays (pods, services, policies) are found by label.
/// </summary>
public sealed class KubernetesBackend : IComputeBackend, IDisposable
{
    public const string BackendName = "kubernetes";
    private const int LogTailLines = 5000;
    private const int LogLimitBytes = 1024 * 1024;
    private static readonly TimeSpan BundlePollInterval = TimeSpan.FromSeconds(1);
    private readonly IOptions<KubernetesOptions> options;
    private readonly IGroupQuotas quotas;
    private readonly ILogger<KubernetesBackend> logger;
    private readonly Lazy<ClusterApi> client;
    private readonly PodMetricsCache metrics;

    public KubernetesBackend(IOptions<KubernetesOptions> options, Func<ClusterApi> connect, IGroupQuotas quotas, TimeProvider time, ILogger<KubernetesBackend> logger)
    {
        this.options = options;
        this.quotas = quotas;
        this.logger = logger;
        client = new Lazy<ClusterApi>(connect);
        metrics = new PodMetricsCache(() => Client, () => options.Value.NamespacePerGroup ? null : Namespace, time, logger);
    }

    public string Name => BackendName;

    private ClusterApi Client => client.Value;

    private string Namespace => string.IsNullOrEmpty(options.Value.Namespace) ? Client.DefaultNamespace : options.Value.Namespace;

    public async Task<BackendStart> StartAsync(EnvironmentSpec spec, IProgress<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(progress);
        var ns = options.Value.NamespacePerGroup ? GroupNamespace.NameOf(spec.Group, options.Value) : Namespace;
        var name = WorkloadObjects.NameOf(spec.Id);
        var state = new KubernetesState(ns, name, WorkloadObjects.HomeClaimOf(spec.User));
        var endpoint = new Uri($"http://{name}.{ns}.svc.cluster.local:{options.Value.Port}");
        var recorded = false;
        try
        {
            var o = options.Value;
            if (o.NamespacePerGroup)
            {
                var quota = await quotas.FindAsync(spec.Group, cancellationToken);
                await Client.ApplyAsync(GroupNamespace.Namespace(spec.Group, o), null, cancellationToken);
                await Client.ApplyAsync(GroupNamespace.ResourceQuota(spec.Group, quota, o), ns, cancellationToken);
                await Client.ApplyAsync(GroupNamespace.LimitRange(spec.Group, o), ns, cancellationToken);
            }

            if (WorkloadObjects.UsesEfs(o))
            {
                var (volume, claim) = WorkloadObjects.EfsStorage(ns, o);
                await Client.ApplyAsync(volume, null, cancellationToken);
                await Client.ApplyAsync(claim, ns, cancellationToken);
            }
            else
            {
                await Client.ApplyAsync(WorkloadObjects.HomeClaim(spec, o), ns, cancellationToken);
            }

            await WaitForPreviousPodAsync(ns, name, progress, cancellationToken);
            await Client.ApplyAsync(WorkloadObjects.NetworkPolicy(spec, o), ns, cancellationToken);
            await Client.ApplyAsync(WorkloadObjects.Service(spec, o), ns, cancellationToken);
            await Client.ApplyAsync(WorkloadObjects.Pod(spec, o), ns, cancellationToken);
            if (progress is IStartProgress start)
            {
                await start.CreatedAsync(new BackendStart(endpoint, JsonSerializer.SerializeToElement(state)), cancellationToken);
                recorded = true; // from here the platform has the state: a host shutting down leaves the pod to be carried on
            }

            progress.Report($"Created pod {ns}/{name} on pool {spec.Pool}; waiting for a node");
            await WaitUntilRunningAsync(ns, name, progress, cancellationToken);
            if (spec.Packages.Count > 0)
            {
                await WaitForBundlesAsync(ns, name, progress, cancellationToken);
            }
        }
        catch (KubernetesApiException e)
        {
            await DeleteAsync(state, CancellationToken.None);
            throw new BackendStartException($"The cluster refused the environment: {e.ServerMessage}");
        }
        catch (OperationCanceledException) when (recorded)
        {
            throw; // the platform decides: a timeout or a stop removes it with the recorded state, a shutdown leaves it for the next host
        }
        catch
        {
            await DeleteAsync(state, CancellationToken.None);
            throw;
        }

        return new BackendStart(endpoint, JsonSerializer.SerializeToElement(state));
    }

    public async Task<BackendStatus> PollAsync(EnvironmentSpec spec, JsonElement state, CancellationToken cancellationToken)
    {
        var where = Read(state);
        var pod = await Client.ReadPodAsync(where.Namespace, where.Name, cancellationToken);
        return pod is null ? new BackendStatus(false, "the pod no longer exists")
            : pod.Status?.Phase == "Running" ? new BackendStatus(true)
            : new BackendStatus(false, $"the pod is {pod.Status?.Phase ?? "unknown"}") { Starting = pod.Status?.Phase is null or "Pending" && pod.Metadata.DeletionTimestamp is null };
    }

    public Task StopAsync(EnvironmentSpec spec, JsonElement state, CancellationToken cancellationToken) => DeleteAsync(Read(state), cancellationToken);

    /// <summary>
    /// From metrics-server (metrics.k8s.io, one list of our pods at most every 30 s); null when the cluster has none,
    /// refuses us, or has no sample of this pod yet.
    /// </summary>
    public async Task<BackendUsage?> GetUsageAsync(EnvironmentSpec spec, JsonElement state, CancellationToken cancellationToken)
    {
        var where = Read(state);
        var sample = await metrics.FindAsync(where.Namespace, where.Name, cancellationToken);
        var usage = sample?.Containers?.FirstOrDefault(c => c.Name == WorkloadObjects.ContainerName)?.Usage;
        return usage is not null && ResourceQuantity.TryParse(usage.TryGetValue("cpu", out var c) ? c.ToString() : null, out var cpu) && ResourceQuantity.TryParse(usage.TryGetValue("memory", out var m) ? m.ToString() : null, out var memory)
            ? new BackendUsage(decimal.Round(cpu.Value, 3), (long)memory.Value)
            : null;
    }

    /// <summary>The container's last lines (pods/{name}/log), cut to the last <paramref name="maxBytes"/>; why there are none, in words.</summary>
    public async Task<string> ReadLogsAsync(EnvironmentSpec spec, JsonElement state, int maxBytes, CancellationToken cancellationToken)
    {
        if (state.ValueKind == JsonValueKind.Undefined)
        {
            return string.Empty; // the start failed before a pod was made
        }

        var where = Read(state);
        try
        {
            var log = await Client.ReadPodLogAsync(where.Namespace, where.Name, WorkloadObjects.ContainerName, LogTailLines, LogLimitBytes, cancellationToken);
            return log switch
            {
                null => $"The pod {where.Namespace}/{where.Name} no longer exists; its logs went with it.\n",
                "" => (await Client.ReadPodAsync(where.Namespace, where.Name, cancellationToken))?.Spec?.NodeName is null
                    ? "No logs yet (the pod is not running).\n" // the API's empty 204 for a pod not yet on a node
                    : "No output yet.\n",
                _ => Tail(log, maxBytes),
            };
        }
        catch (KubernetesApiException e) when (e.Status == HttpStatusCode.BadRequest)
        {
            return $"No logs yet: {e.ServerMessage}\n"; // e.g. "container "environment" in pod … is waiting to start: ContainerCreating"
        }
    }

    /// <summary>
    /// Pods, Services and NetworkPolicies of environments the platform does not know as active (labelled with their
    /// environment id): a cleanup a failed start or a restart left undone, or objects of a deleted environment.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> StopStraysAsync(OwnedEnvironments owned, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owned);
        var ns = options.Value.NamespacePerGroup ? null : Namespace; // per-group namespaces: look across all of them
        var selector = $"{WorkloadObjects.ManagedBy}={WorkloadObjects.ManagerName},{WorkloadObjects.EnvironmentIdLabel}";
        var objects = (await Client.ListPodsAsync(ns, selector, null, cancellationToken)).Items.Select(p => p.Metadata)
            .Concat(await Client.ListServicesAndPoliciesAsync(ns, selector, cancellationToken));
        var stray = new Dictionary<Guid, KubernetesState>();
        foreach (var metadata in objects)
        {
            if (Guid.TryParse(metadata.Labels[WorkloadObjects.EnvironmentIdLabel], out var id))
            {
                stray.TryAdd(id, new KubernetesState(metadata.NamespaceProperty ?? ns!, WorkloadObjects.NameOf(id), ""));
            }
        }

        var keep = stray.Count == 0 ? new HashSet<Guid>() : await owned(stray.Keys, cancellationToken);
        foreach (var id in keep)
        {
            stray.Remove(id);
        }

        foreach (var state in stray.Values)
        {
            await DeleteAsync(state, cancellationToken);
        }

        return [.. stray.Keys];
    }

    public void Dispose()
    {
        metrics.Dispose();
        if (client.IsValueCreated)
        {
            client.Value.Dispose();
        }
    }

    /// <summary>
    /// A pod of the same name from this environment's last start may still be terminating (its grace period), and a
    /// pod's spec cannot change: wait for it to go (deleting it first if nothing has) before creating the new one.
    /// </summary>
    private async Task WaitForPreviousPodAsync(string ns, string name, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var said = false;
        await foreach (var (type, pod) in Client.WatchPodAsync(ns, name, cancellationToken))
        {
            if (type == WatchEventType.Deleted || pod is null)
            {
                return;
            }

            if (pod.Metadata.DeletionTimestamp is null)
            {
                await Client.DeleteAsync<V1Pod>(ns, name, cancellationToken);
            }

            if (!said)
            {
                progress.Report("Waiting for the previous pod of this environment to finish stopping");
                said = true;
            }
        }
    }

    private async Task WaitUntilRunningAsync(string ns, string name, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var seenEvents = new HashSet<string>(StringComparer.Ordinal);
        string? lastStatus = null;
        await foreach (var (type, pod) in Client.WatchPodAsync(ns, name, cancellationToken))
        {
            if (type == WatchEventType.Deleted || (type == WatchEventType.Added && pod is null) || pod?.Metadata.DeletionTimestamp is not null)
            {
                throw new BackendStartException("The pod was deleted while starting.");
            }

            if (pod is null)
            {
                continue;
            }

            foreach (var item in (await Client.EventsAboutAsync(ns, name, cancellationToken)).Where(e => seenEvents.Add(e.Metadata.Name ?? "")))
            {
                progress.Report(PodProgress.Describe(item));
            }

            var (status, fatal, running) = PodProgress.Status(pod);
            if (status != lastStatus)
            {
                progress.Report(status);
                lastStatus = status;
            }

            if (fatal is not null)
            {
                throw new BackendStartException(fatal);
            }

            if (running)
            {
                return;
            }
        }
    }

    /// <summary>
    /// The container installs the bundles before the workload (<see cref="WorkloadObjects.WithBundles"/>): its log lines are
    /// the progress until it prints <see cref="WorkloadObjects.BundlesInstalled"/>; if it ends first, the reason is its last
    /// error line, as the local backend says it.
    /// </summary>
    private async Task WaitForBundlesAsync(string ns, string name, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var reported = 0;
        using var tick = new PeriodicTimer(BundlePollInterval);
        do
        {
            var pod = await Client.ReadPodAsync(ns, name, cancellationToken);
            var log = await Client.ReadPodLogAsync(ns, name, WorkloadObjects.ContainerName, LogTailLines, LogLimitBytes, cancellationToken) ?? "";
            var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var line in lines.Skip(reported))
            {
                if (line == WorkloadObjects.BundlesInstalled)
                {
                    progress.Report("Bundles installed; starting the environment");
                    return;
                }

                progress.Report(line);
            }

            reported = Math.Max(reported, lines.Length);
            if (pod is null || PodProgress.ExitCode(pod) is not null)
            {
                var lastError = lines.LastOrDefault(l => l.Contains("ERROR", StringComparison.Ordinal) || l.Contains("error:", StringComparison.OrdinalIgnoreCase)) ?? lines.LastOrDefault();
                throw new BackendStartException(
                    $"Installing bundles failed (the container exited with {PodProgress.ExitCode(pod)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no code: the pod is gone"}): {lastError ?? "no output"}. The full output is in the environment's logs.");
            }
        }
        while (await tick.WaitForNextTickAsync(cancellationToken));
    }

    private async Task DeleteAsync(KubernetesState state, CancellationToken cancellationToken)
    {
        foreach (var delete in new Func<Task<bool>>[]
        {
            () => Client.DeleteAsync<V1Pod>(state.Namespace, state.Name, cancellationToken),
            () => Client.DeleteAsync<V1Service>(state.Namespace, state.Name, cancellationToken),
            () => Client.DeleteAsync<V1NetworkPolicy>(state.Namespace, state.Name, cancellationToken),
        })
        {
            try
            {
                await delete();
            }
            catch (KubernetesApiException e) when (e.Status != HttpStatusCode.Forbidden)
            {
                logger.LogWarning("Could not delete an object of {Namespace}/{Name}: {Message}", state.Namespace, state.Name, e.ServerMessage);
            }
        }
    }

    /// <summary>The end of the text, at most <paramref name="maxBytes"/> UTF-8 bytes, starting on a whole line where one fits.</summary>
    private static string Tail(string text, int maxBytes)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        if (bytes.Length <= maxBytes)
        {
            return text;
        }

        var tail = System.Text.Encoding.UTF8.GetString(bytes, bytes.Length - maxBytes, maxBytes).TrimStart('\uFFFD');
        var newline = tail.IndexOf('\n', StringComparison.Ordinal);
        return newline >= 0 && newline < tail.Length - 1 ? tail[(newline + 1)..] : tail;
    }

    private static KubernetesState Read(JsonElement state) => state.Deserialize<KubernetesState>()
        ?? throw new InvalidOperationException("The environment's Kubernetes state is empty.");

}
