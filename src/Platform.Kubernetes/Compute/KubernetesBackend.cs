using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using DevPlatform.Abstractions;
using DevPlatform.Kubernetes.Client;
using DevPlatform.Kubernetes.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DevPlatform.Kubernetes.Compute;

/// <summary>
/// Runs environments as pods (see <see cref="WorkloadObjects"/>), applied with server-side apply. Progress
/// comes from a watch on the pod and the events about it, said in words (scheduling, image pull, container
/// start; FailedScheduling and ImagePullBackOff as the user should read them). A start that fails or is
/// cancelled (start timeout) deletes what it created, except the user's home claim. Strays are found by label.
/// </summary>
public sealed class KubernetesBackend : IComputeBackend, IDisposable
{
    public const string BackendName = "kubernetes";
    private const int LogTailLines = 5000;
    private const int LogLimitBytes = 1024 * 1024;
    private readonly IOptions<KubernetesOptions> options;
    private readonly IGroupQuotas quotas;
    private readonly ILogger<KubernetesBackend> logger;
    private readonly Lazy<KubernetesClient> client;
    private readonly PodMetricsCache metrics;

    public KubernetesBackend(IOptions<KubernetesOptions> options, Func<KubernetesClient> connect, IGroupQuotas quotas, TimeProvider time, ILogger<KubernetesBackend> logger)
    {
        this.options = options;
        this.quotas = quotas;
        this.logger = logger;
        client = new Lazy<KubernetesClient>(connect);
        metrics = new PodMetricsCache(() => Client, () => options.Value.NamespacePerGroup ? null : Namespace, time, logger);
    }

    public string Name => BackendName;

    private KubernetesClient Client => client.Value;

    private string Namespace => string.IsNullOrEmpty(options.Value.Namespace) ? Client.DefaultNamespace : options.Value.Namespace;

    public async Task<BackendStart> StartAsync(EnvironmentSpec spec, IProgress<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(progress);
        var ns = options.Value.NamespacePerGroup ? GroupNamespace.NameOf(spec.Group, options.Value) : Namespace;
        var name = WorkloadObjects.NameOf(spec.Id);
        var state = new KubernetesState(ns, name, WorkloadObjects.HomeClaimOf(spec.User));
        if (spec.Packages.Count > 0)
        {
            progress.Report($"Bundles {string.Join(", ", spec.Packages.Select(p => p.Bundle))} are installed as the container starts; the environment's logs show the installation");
        }

        try
        {
            var o = options.Value;
            if (o.NamespacePerGroup)
            {
                var quota = await quotas.FindAsync(spec.Group, cancellationToken);
                await Client.ApplyAsync<JsonObject>(ResourceKind.Namespaces, null, ns, GroupNamespace.Namespace(spec.Group, o), force: true, cancellationToken);
                await Client.ApplyAsync<JsonObject>(ResourceKind.ResourceQuotas, ns, "devplatform", GroupNamespace.ResourceQuota(spec.Group, quota, o), force: true, cancellationToken);
                await Client.ApplyAsync<JsonObject>(ResourceKind.LimitRanges, ns, "devplatform", GroupNamespace.LimitRange(spec.Group, quota, o), force: true, cancellationToken);
            }

            if (WorkloadObjects.UsesEfs(o))
            {
                var (volume, claim) = WorkloadObjects.EfsStorage(ns, o);
                await Client.ApplyAsync<JsonObject>(ResourceKind.PersistentVolumes, null, (string)volume["metadata"]!["name"]!, volume, force: true, cancellationToken);
                await Client.ApplyAsync<JsonObject>(ResourceKind.PersistentVolumeClaims, ns, WorkloadObjects.StorageClaim, claim, force: true, cancellationToken);
            }
            else
            {
                await Client.ApplyAsync<JsonObject>(ResourceKind.PersistentVolumeClaims, ns, state.HomeClaim, WorkloadObjects.HomeClaim(spec, o), force: true, cancellationToken);
            }

            await Client.ApplyAsync<JsonObject>(ResourceKind.NetworkPolicies, ns, name, WorkloadObjects.NetworkPolicy(spec, o), force: true, cancellationToken);
            await Client.ApplyAsync<JsonObject>(ResourceKind.Services, ns, name, WorkloadObjects.Service(spec, o), force: true, cancellationToken);
            await Client.ApplyAsync<JsonObject>(ResourceKind.Pods, ns, name, WorkloadObjects.Pod(spec, o), force: true, cancellationToken);
            progress.Report($"Created pod {ns}/{name} on pool {spec.Pool}; waiting for a node");
            await WaitUntilRunningAsync(ns, name, progress, cancellationToken);
        }
        catch (KubernetesApiException e)
        {
            await DeleteAsync(state, CancellationToken.None);
            throw new BackendStartException($"The cluster refused the environment: {e.ServerMessage}");
        }
        catch
        {
            await DeleteAsync(state, CancellationToken.None);
            throw;
        }

        var endpoint = new Uri($"http://{name}.{ns}.svc.cluster.local:{options.Value.Port}");
        return new BackendStart(endpoint, JsonSerializer.SerializeToElement(state));
    }

    public async Task<BackendStatus> PollAsync(EnvironmentSpec spec, JsonElement state, CancellationToken cancellationToken)
    {
        var where = Read(state);
        var pod = await Client.GetAsync<Pod>(ResourceKind.Pods, where.Namespace, where.Name, cancellationToken);
        return pod is null ? new BackendStatus(false, "the pod no longer exists")
            : pod.Status?.Phase == "Running" ? new BackendStatus(true)
            : new BackendStatus(false, $"the pod is {pod.Status?.Phase ?? "unknown"}");
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
        return usage is not null && ResourceQuantity.TryParse(usage.GetValueOrDefault("cpu"), out var cpu) && ResourceQuantity.TryParse(usage.GetValueOrDefault("memory"), out var memory)
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
            return log is null ? $"The pod {where.Namespace}/{where.Name} no longer exists; its logs went with it.\n" : Tail(log, maxBytes);
        }
        catch (KubernetesApiException e) when (e.Status == HttpStatusCode.BadRequest)
        {
            return $"No logs yet: {e.ServerMessage}\n"; // e.g. "container "environment" in pod … is waiting to start: ContainerCreating"
        }
    }

    public async Task<IReadOnlyList<Guid>> StopStraysAsync(IReadOnlySet<Guid> known, CancellationToken cancellationToken)
    {
        var ns = options.Value.NamespacePerGroup ? null : Namespace; // per-group namespaces: look across all of them
        var pods = await Client.ListAsync<Pod>(ResourceKind.Pods, ns, new ListOptions($"{WorkloadObjects.ManagedBy}={WorkloadObjects.ManagerName}"), cancellationToken);
        var stray = new List<Guid>();
        foreach (var pod in pods.Items)
        {
            if (Guid.TryParse(pod.Metadata.Labels?.GetValueOrDefault(WorkloadObjects.EnvironmentIdLabel), out var id) && !known.Contains(id))
            {
                await DeleteAsync(new KubernetesState(pod.Metadata.Namespace ?? ns!, pod.Metadata.Name!, ""), cancellationToken);
                stray.Add(id);
            }
        }

        return stray;
    }

    public void Dispose()
    {
        metrics.Dispose();
        if (client.IsValueCreated)
        {
            client.Value.Dispose();
        }
    }

    private async Task WaitUntilRunningAsync(string ns, string name, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var seenEvents = new HashSet<string>(StringComparer.Ordinal);
        string? lastStatus = null;
        await foreach (var change in Client.ListAndWatchAsync<Pod>(ResourceKind.Pods, ns, new ListOptions(FieldSelector: $"metadata.name={name}"), cancellationToken))
        {
            if (change.Type == WatchEventType.Deleted)
            {
                throw new BackendStartException("The pod was deleted while starting.");
            }

            if (change.Item is not { } pod)
            {
                continue;
            }

            var events = await Client.ListAsync<CoreEvent>(ResourceKind.Events, ns, new ListOptions(FieldSelector: $"involvedObject.name={name}"), cancellationToken);
            foreach (var item in events.Items.Where(e => seenEvents.Add(e.Metadata.Name ?? "")))
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

    private async Task DeleteAsync(KubernetesState state, CancellationToken cancellationToken)
    {
        foreach (var kind in new[] { ResourceKind.Pods, ResourceKind.Services, ResourceKind.NetworkPolicies })
        {
            try
            {
                await Client.DeleteAsync(kind, state.Namespace, state.Name, PropagationPolicy.Background, cancellationToken);
            }
            catch (KubernetesApiException e) when (e.Status != HttpStatusCode.Forbidden)
            {
                logger.LogWarning("Could not delete {Kind} {Namespace}/{Name}: {Message}", kind.Kind, state.Namespace, state.Name, e.ServerMessage);
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
