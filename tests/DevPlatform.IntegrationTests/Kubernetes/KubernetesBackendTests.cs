using System.Text.Json.Nodes;
using DevPlatform.Abstractions;
using DevPlatform.IntegrationTests.Fixtures;
using DevPlatform.Kubernetes.Client;
using DevPlatform.Kubernetes.Compute;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DevPlatform.IntegrationTests.Kubernetes;

/// <summary>The kubernetes backend against the local API server; the tests play scheduler and kubelet.</summary>
public sealed class KubernetesBackendTests : IAsyncLifetime
{
    private const string Ns = "devplatform";
    private readonly ShiftedClock clock = new();
    private FakeKubernetesApi api = null!;
    private KubernetesBackend backend = null!;
    private string config = null!;

    public async Task InitializeAsync()
    {
        api = await FakeKubernetesApi.StartAsync();
        config = await api.KubeConfigFileAsync();
        backend = Backend(new KubernetesOptions { HomeStorageClass = "gp3" });
    }

    public async Task DisposeAsync()
    {
        backend.Dispose();
        await api.DisposeAsync();
    }

    [Fact]
    public async Task Start_ReportsSchedulingAndPullInWords_ReturnsTheServiceEndpoint_StopKeepsOnlyTheHome()
    {
        var spec = Spec();
        var progress = new Progress();
        var start = backend.StartAsync(spec, progress, CancellationToken.None);
        var pod = WorkloadObjects.NameOf(spec.Id);
        await Eventually.UntilAsync(() => Task.FromResult(api.Find(ResourceKind.Pods, Ns, pod)), p => p is not null, TimeSpan.FromSeconds(10), "the pod");

        api.RecordEvent(Ns, pod, "Warning", "FailedScheduling", "0/3 nodes are available: 3 Insufficient nvidia.com/mig-1g.10gb.");
        api.Mutate(ResourceKind.Pods, Ns, pod, p => p["status"] = new JsonObject { ["phase"] = "Pending" });
        await Eventually.UntilAsync(() => Task.FromResult(progress.Lines.ToList()), l => l.Any(x => x.Contains("FailedScheduling", StringComparison.Ordinal) || x.Contains("no node can take it", StringComparison.Ordinal)), TimeSpan.FromSeconds(10), "the scheduling warning");
        api.Mutate(ResourceKind.Pods, Ns, pod, p =>
        {
            p["spec"]!["nodeName"] = "ip-10-0-1-7";
            p["status"] = Status("Pending", new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ContainerCreating" } });
        });
        api.RecordEvent(Ns, pod, "Normal", "Pulling", "Pulling image \"quay.io/jupyter/pytorch-notebook:cuda12\"");
        api.Mutate(ResourceKind.Pods, Ns, pod, p => p["status"] = Status("Running", new JsonObject { ["running"] = new JsonObject { ["startedAt"] = "2026-11-22T10:00:00Z" } }));

        var started = await start;
        Assert.Equal(new Uri($"http://{pod}.{Ns}.svc.cluster.local:8888"), started.Endpoint);
        Assert.Contains("Warning: no node can take it yet (0/3 nodes are available: 3 Insufficient nvidia.com/mig-1g.10gb.); Karpenter is asked for one", progress.Lines);
        Assert.Contains("Pulling the image and creating the container", progress.Lines);
        Assert.Contains("Pulling the image: Pulling image \"quay.io/jupyter/pytorch-notebook:cuda12\"", progress.Lines);
        Assert.Equal("Container running; waiting for it to answer", progress.Lines[^1]);

        var created = api.Objects(ResourceKind.Pods, Ns).Concat(api.Objects(ResourceKind.Services, Ns)).Concat(api.Objects(ResourceKind.NetworkPolicies, Ns))
            .Concat(api.Objects(ResourceKind.PersistentVolumeClaims, Ns)).ToList();
        Assert.Equal(4, created.Count);
        foreach (var item in created)
        {
            KubernetesSchemas.Instance.AssertValid(Desired(item));
        }

        var applied = api.Find(ResourceKind.Pods, Ns, pod)!;
        var container = applied["spec"]!["containers"]![0]!;
        Assert.Equal("2", (string?)container["resources"]!["limits"]!["nvidia.com/mig-1g.10gb"]);
        Assert.Equal("2", (string?)container["resources"]!["requests"]!["nvidia.com/mig-1g.10gb"]);
        Assert.Equal("1500m", (string?)container["resources"]!["requests"]!["cpu"]);
        var required = applied["spec"]!["affinity"]!["nodeAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]!["nodeSelectorTerms"]![0]!["matchExpressions"]!.AsArray();
        Assert.Equal(["karpenter.sh/nodepool In mig", "karpenter.sh/capacity-type In spot"], required.Select(e => $"{e!["key"]} {e["operator"]} {e["values"]![0]}"));
        Assert.Equal("kubernetes.io/hostname", (string?)applied["spec"]!["affinity"]!["podAffinity"]!["preferredDuringSchedulingIgnoredDuringExecution"]![0]!["podAffinityTerm"]!["topologyKey"]);
        Assert.Contains(applied["spec"]!["tolerations"]!.AsArray(), t => (string?)t!["key"] == "nvidia.com/gpu");
        Assert.True((bool)applied["spec"]!["securityContext"]!["runAsNonRoot"]!);
        Assert.Equal("RuntimeDefault", (string?)applied["spec"]!["securityContext"]!["seccompProfile"]!["type"]);
        Assert.False((bool)container["securityContext"]!["allowPrivilegeEscalation"]!);
        Assert.Equal(["ALL"], container["securityContext"]!["capabilities"]!["drop"]!.AsArray().Select(c => (string?)c));
        Assert.Equal("physics", (string?)applied["metadata"]!["labels"]!["devplatform.io/group"]);
        Assert.Contains(container["env"]!.AsArray(), e => (string?)e!["name"] == "PORT" && (string?)e["value"] == "8888");

        await backend.StopAsync(spec, started.State, CancellationToken.None);
        Assert.NotNull(Assert.Single(api.Objects(ResourceKind.Pods, Ns))["metadata"]!["deletionTimestamp"]); // terminating on its node, then gone
        await Eventually.UntilAsync(() => Task.FromResult(api.Objects(ResourceKind.Pods, Ns).Count), n => n == 0, TimeSpan.FromSeconds(10), "the pod to finish terminating");
        Assert.Empty(api.Objects(ResourceKind.Services, Ns));
        Assert.Empty(api.Objects(ResourceKind.NetworkPolicies, Ns));
        Assert.Equal("home-ada", (string?)Assert.Single(api.Objects(ResourceKind.PersistentVolumeClaims, Ns))["metadata"]!["name"]);
        await backend.StopAsync(spec, started.State, CancellationToken.None); // stopping a stopped environment is fine
    }

    [Fact]
    public async Task LogsAndUsage_AreReadThroughTheApi_AndSayWhyWhenThereAreNone()
    {
        var spec = Spec();
        var start = backend.StartAsync(spec, new Progress(), CancellationToken.None);
        var pod = WorkloadObjects.NameOf(spec.Id);
        await Eventually.UntilAsync(() => Task.FromResult(api.Find(ResourceKind.Pods, Ns, pod)), p => p is not null, TimeSpan.FromSeconds(10), "the pod");
        var state = System.Text.Json.JsonSerializer.SerializeToElement(new KubernetesState(Ns, pod, "home-ada"));
        Assert.Equal("No logs yet (the pod is not running).\n", await backend.ReadLogsAsync(spec, state, 4096, CancellationToken.None)); // the API's empty 204: not on a node
        api.Mutate(ResourceKind.Pods, Ns, pod, p =>
        {
            p["spec"]!["nodeName"] = "ip-10-0-1-7";
            p["status"] = Status("Pending", new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ContainerCreating" } });
        });
        Assert.StartsWith("No logs yet: container \"environment\" in pod", await backend.ReadLogsAsync(spec, state, 4096, CancellationToken.None), StringComparison.Ordinal);

        api.Mutate(ResourceKind.Pods, Ns, pod, p => p["status"] = Status("Running", new JsonObject { ["running"] = new JsonObject() }));
        var started = await start;
        for (var i = 1; i <= 300; i++)
        {
            api.WriteLog(Ns, pod, $"[I 2026-11-30 10:00:00.000 ServerApp] line {i}\n");
        }

        var logs = await backend.ReadLogsAsync(spec, started.State, 200, CancellationToken.None);
        Assert.EndsWith("] line 300\n", logs, StringComparison.Ordinal);
        Assert.StartsWith("[I 2026-11-30", logs, StringComparison.Ordinal); // cut on a line boundary
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(logs) <= 200);
        Assert.Contains(api.Requests, r => r.StartsWith($"GET /api/v1/namespaces/{Ns}/pods/{pod}/log?container=environment&", StringComparison.Ordinal) && r.Contains("tailLines=", StringComparison.Ordinal) && r.EndsWith(" 200", StringComparison.Ordinal));

        Assert.Null(await backend.GetUsageAsync(spec, started.State, CancellationToken.None)); // metrics-server has no sample yet
        api.SampleMetrics(Ns, pod, "environment", "250000000n", "524288Ki");
        Assert.Null(await backend.GetUsageAsync(spec, started.State, CancellationToken.None)); // one list serves reads for 30 s
        clock.Advance(PodMetricsCache.MaxAge + TimeSpan.FromSeconds(1));
        Assert.Equal(new BackendUsage(0.25m, 512L << 20), await backend.GetUsageAsync(spec, started.State, CancellationToken.None));
        Assert.Equal(2, api.Requests.Count(r => r.StartsWith("GET /apis/metrics.k8s.io/v1beta1/namespaces/devplatform/pods?labelSelector=", StringComparison.Ordinal)));

        await backend.StopAsync(spec, started.State, CancellationToken.None);
        await Eventually.UntilAsync(() => Task.FromResult(api.Objects(ResourceKind.Pods, Ns).Count), n => n == 0, TimeSpan.FromSeconds(10), "the pod to finish terminating");
        Assert.Equal($"The pod {Ns}/{pod} no longer exists; its logs went with it.\n", await backend.ReadLogsAsync(spec, started.State, 4096, CancellationToken.None));
    }

    [Fact]
    public async Task ImagePullBackOff_FailsTheStartInWords_AndATimedOutStartLeavesNothingBehind()
    {
        var spec = Spec();
        var start = backend.StartAsync(spec, new Progress(), CancellationToken.None);
        var pod = WorkloadObjects.NameOf(spec.Id);
        await Eventually.UntilAsync(() => Task.FromResult(api.Find(ResourceKind.Pods, Ns, pod)), p => p is not null, TimeSpan.FromSeconds(10), "the pod");
        api.Mutate(ResourceKind.Pods, Ns, pod, p => p["status"] = Status("Pending", new JsonObject
        {
            ["waiting"] = new JsonObject { ["reason"] = "ImagePullBackOff", ["message"] = "Back-off pulling image \"quay.io/jupyter/pytorch-notebook:cuda12\"" },
        }));
        var failed = await Assert.ThrowsAsync<BackendStartException>(() => start);
        Assert.StartsWith("The image could not be pulled (ImagePullBackOff): check the image name and tag", failed.Message, StringComparison.Ordinal);
        Assert.Empty(api.Objects(ResourceKind.Pods, Ns));

        var slow = Spec();
        using var timeout = new CancellationTokenSource();
        var waiting = backend.StartAsync(slow, new Progress(), timeout.Token);
        await Eventually.UntilAsync(() => Task.FromResult(api.Find(ResourceKind.Pods, Ns, WorkloadObjects.NameOf(slow.Id))), p => p is not null, TimeSpan.FromSeconds(10), "the pod");
        await timeout.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Empty(api.Objects(ResourceKind.Pods, Ns));
        Assert.Empty(api.Objects(ResourceKind.Services, Ns));
        Assert.Empty(api.Objects(ResourceKind.NetworkPolicies, Ns));
    }

    /// <summary>
    /// A hub restarting mid-start (issue #23): the pod's state reaches the platform as soon as the pod exists, a start then
    /// cancelled (the host shutting down) leaves the pod for the next host, which polls it as still starting and carries on.
    /// </summary>
    [Fact]
    public async Task TheStateIsReportedOnceThePodExists_ACancelledStartThenLeavesThePod_ForTheNextHostToCarryOn()
    {
        var spec = Spec();
        var progress = new RecordingProgress();
        using var shutdown = new CancellationTokenSource();
        var start = backend.StartAsync(spec, progress, shutdown.Token);
        var created = await progress.Created.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var pod = WorkloadObjects.NameOf(spec.Id);
        Assert.NotNull(api.Find(ResourceKind.Pods, Ns, pod)); // reported only once the pod exists
        Assert.Equal(new Uri($"http://{pod}.{Ns}.svc.cluster.local:8888"), created.Endpoint);

        await shutdown.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => start);
        Assert.NotNull(api.Find(ResourceKind.Pods, Ns, pod));
        Assert.NotEmpty(api.Objects(ResourceKind.NetworkPolicies, Ns));

        api.Mutate(ResourceKind.Pods, Ns, pod, p => p["status"] = new JsonObject { ["phase"] = "Pending" });
        var waiting = await backend.PollAsync(spec, created.State, CancellationToken.None);
        Assert.False(waiting.Running);
        Assert.True(waiting.Starting); // the next host keeps waiting rather than failing it
        api.Mutate(ResourceKind.Pods, Ns, pod, p => p["status"] = Status("Running", new JsonObject { ["running"] = new JsonObject { ["startedAt"] = "2026-12-06T10:00:00Z" } }));
        Assert.True((await backend.PollAsync(spec, created.State, CancellationToken.None)).Running);

        await backend.StopAsync(spec, created.State, CancellationToken.None); // a stop or timeout on any host removes it with the recorded state
        await Eventually.UntilAsync(() => Task.FromResult(api.Objects(ResourceKind.Pods, Ns).Count), n => n == 0, TimeSpan.FromSeconds(10), "the pod to finish terminating");
        Assert.Empty(api.Objects(ResourceKind.Services, Ns));
        Assert.Empty(api.Objects(ResourceKind.NetworkPolicies, Ns));
    }

    [Fact]
    public async Task StopStrays_RemovesPodsOfEnvironmentsTheDatabaseDoesNotKnow_ByLabel()
    {
        var known = Spec();
        var stray = Spec();
        var leftover = Spec(); // a failed start's Service and NetworkPolicy whose deletes did not get through; its pod is gone
        using var client = ClusterConnection.Connect(config, null, NullLogger.Instance);
        var options = new KubernetesOptions();
        foreach (var spec in new[] { known, stray, leftover })
        {
            if (spec != leftover)
            {
                await client.ApplyAsync(WorkloadObjects.Pod(spec, options), Ns, default);
            }

            await client.ApplyAsync(WorkloadObjects.Service(spec, options), Ns, default);
            await client.ApplyAsync(WorkloadObjects.NetworkPolicy(spec, options), Ns, default);
        }

        Assert.Equal(new[] { stray.Id, leftover.Id }.Order(), (await backend.StopStraysAsync((_, _) => Task.FromResult<IReadOnlySet<Guid>>(new HashSet<Guid> { known.Id }), CancellationToken.None)).Order());
        Assert.Equal([WorkloadObjects.NameOf(known.Id)], api.Objects(ResourceKind.Pods, Ns).Select(p => (string?)p["metadata"]!["name"]));
        Assert.Equal([WorkloadObjects.NameOf(known.Id)], api.Objects(ResourceKind.Services, Ns).Select(p => (string?)p["metadata"]!["name"]));
        Assert.Equal([WorkloadObjects.NameOf(known.Id)], api.Objects(ResourceKind.NetworkPolicies, Ns).Select(p => (string?)p["metadata"]!["name"]));
    }

    [Fact]
    public async Task NamespacePerGroup_CarriesTheGroupsQuotaAndLimits_AndStraysAreFoundInEveryNamespace()
    {
        using var perGroup = Backend(new KubernetesOptions { NamespacePerGroup = true });
        var spec = Spec();
        var start = perGroup.StartAsync(spec, new Progress(), CancellationToken.None);
        var pod = WorkloadObjects.NameOf(spec.Id);
        await Eventually.UntilAsync(() => Task.FromResult(api.Find(ResourceKind.Pods, "dp-physics", pod)), p => p is not null, TimeSpan.FromSeconds(10), "the pod in the group's namespace");
        api.Mutate(ResourceKind.Pods, "dp-physics", pod, p => p["status"] = Status("Running", new JsonObject { ["running"] = new JsonObject() }));
        Assert.Equal(new Uri($"http://{pod}.dp-physics.svc.cluster.local:8888"), (await start).Endpoint);

        var quota = api.Find(ResourceKind.ResourceQuotas, "dp-physics", "devplatform")!;
        Assert.Equal("16", (string?)quota["spec"]!["hard"]!["requests.cpu"]);
        Assert.Equal("64Gi", (string?)quota["spec"]!["hard"]!["requests.memory"]);
        Assert.Null(quota["spec"]!["hard"]!["requests.storage"]); // storage quotas are bytes used in the group's folders, not claim sizes
        Assert.Equal("4", (string?)quota["spec"]!["hard"]!["requests.nvidia.com/gpu"]);
        Assert.Equal("4", (string?)quota["spec"]!["hard"]!["requests.nvidia.com/mig-1g.10gb"]);
        var limits = api.Find(ResourceKind.LimitRanges, "dp-physics", "devplatform")!;
        Assert.Equal(["Container"], limits["spec"]!["limits"]!.AsArray().Select(l => (string?)l!["type"]));
        var ns = api.Find(ResourceKind.Namespaces, null, "dp-physics")!;
        foreach (var item in new[] { quota, limits, ns })
        {
            KubernetesSchemas.Instance.AssertValid(Desired(item));
        }

        Assert.Equal([spec.Id], await perGroup.StopStraysAsync((_, _) => Task.FromResult<IReadOnlySet<Guid>>(new HashSet<Guid>()), CancellationToken.None));
        await Eventually.UntilAsync(() => Task.FromResult(api.Objects(ResourceKind.Pods).Count), n => n == 0, TimeSpan.FromSeconds(10), "the stray pod to finish terminating");
    }

    [Fact]
    public async Task OnEfs_HomesAndGroupFoldersAreSubPathsOfOneFileSystem_PerNamespaceVolumeAndClaim_NoClaimPerUser()
    {
        using var efs = Backend(new KubernetesOptions { EfsFileSystemId = "fs-0123456789abcdef0" });
        var spec = Spec() with
        {
            Mounts = [new StorageMount(StorageArea.Shared("physics", "data"), "shared/physics/data"), new StorageMount(StorageArea.Scratch("physics"), "scratch/physics", ReadOnly: true)],
        };
        var start = efs.StartAsync(spec, new Progress(), CancellationToken.None);
        var pod = WorkloadObjects.NameOf(spec.Id);
        await Eventually.UntilAsync(() => Task.FromResult(api.Find(ResourceKind.Pods, Ns, pod)), p => p is not null, TimeSpan.FromSeconds(10), "the pod");
        api.Mutate(ResourceKind.Pods, Ns, pod, p => p["status"] = Status("Running", new JsonObject { ["running"] = new JsonObject() }));
        await start;

        var volume = api.Find(ResourceKind.PersistentVolumes, null, "devplatform-storage-devplatform")!;
        Assert.Equal("efs.csi.aws.com", (string?)volume["spec"]!["csi"]!["driver"]);
        Assert.Equal("fs-0123456789abcdef0", (string?)volume["spec"]!["csi"]!["volumeHandle"]);
        var claim = api.Find(ResourceKind.PersistentVolumeClaims, Ns, "devplatform-storage")!;
        Assert.Equal("devplatform-storage-devplatform", (string?)claim["spec"]!["volumeName"]);
        Assert.Null(api.Find(ResourceKind.PersistentVolumeClaims, Ns, "home-ada"));
        var applied = api.Find(ResourceKind.Pods, Ns, pod)!;
        foreach (var item in new[] { volume, claim, applied })
        {
            KubernetesSchemas.Instance.AssertValid(Desired(item));
        }

        var mounts = applied["spec"]!["containers"]![0]!["volumeMounts"]!.AsArray()
            .Select(m => $"{m!["mountPath"]} <- {m["subPath"]}{((bool?)m["readOnly"] == true ? " (ro)" : "")}").ToList();
        Assert.Equal(["/home/jovyan <- homes/ada", "/home/jovyan/shared/physics/data <- groups/physics/shared/data", "/home/jovyan/scratch/physics <- groups/physics/scratch (ro)"], mounts);
        Assert.Equal("devplatform-storage", (string?)applied["spec"]!["volumes"]![0]!["persistentVolumeClaim"]!["claimName"]);
    }

    /// <summary>
    /// Stop, then start at once: the old pod is still terminating on its node (same name, and a pod's spec cannot change —
    /// the real server answers 422 "pod updates may not change fields"), so the start waits for it to go, saying so.
    /// </summary>
    [Fact]
    public async Task StopThenStartWithinTheGracePeriod_WaitsForTheOldPodToGo()
    {
        api.TerminationDelay = TimeSpan.FromSeconds(2);
        var spec = Spec();
        var pod = WorkloadObjects.NameOf(spec.Id);
        var first = backend.StartAsync(spec, new Progress(), CancellationToken.None);
        await Eventually.UntilAsync(() => Task.FromResult(api.Find(ResourceKind.Pods, Ns, pod)), p => p is not null, TimeSpan.FromSeconds(10), "the pod");
        api.Mutate(ResourceKind.Pods, Ns, pod, p => p["status"] = Status("Running", new JsonObject { ["running"] = new JsonObject() }));
        await backend.StopAsync(spec, (await first).State, CancellationToken.None);
        Assert.NotNull(api.Find(ResourceKind.Pods, Ns, pod)!["metadata"]!["deletionTimestamp"]);

        var again = spec with { Environment = new Dictionary<string, string>(spec.Environment) { ["JUPYTERHUB_API_TOKEN"] = "a-new-token-for-this-start" } };
        var progress = new Progress();
        var second = backend.StartAsync(again, progress, CancellationToken.None);
        var created = await Eventually.UntilAsync(() => Task.FromResult(api.Find(ResourceKind.Pods, Ns, pod)), p => p is not null && p["metadata"]!["deletionTimestamp"] is null,
            TimeSpan.FromSeconds(20), "the new pod");
        Assert.Contains(created!["spec"]!["containers"]![0]!["env"]!.AsArray(), e => (string?)e!["value"] == "a-new-token-for-this-start");
        Assert.Contains("Waiting for the previous pod of this environment to finish stopping", progress.Lines);
        api.Mutate(ResourceKind.Pods, Ns, pod, p => p["status"] = Status("Running", new JsonObject { ["running"] = new JsonObject() }));
        await second;
        Assert.DoesNotContain(api.Requests, r => r.EndsWith(" 422", StringComparison.Ordinal));
    }

    /// <summary>Bundles install in the container before the workload: their output is the start's progress, and a failed one ends it with its error.</summary>
    [Fact]
    public async Task Bundles_ShowTheirInstallAsProgress_AndAFailedInstallFailsTheStartWithItsError()
    {
        var spec = Spec() with { Packages = [new PackageInstall("tools", "pip", ["rich>=13"])] };
        var pod = WorkloadObjects.NameOf(spec.Id);
        var progress = new Progress();
        var start = backend.StartAsync(spec, progress, CancellationToken.None);
        await Eventually.UntilAsync(() => Task.FromResult(api.Find(ResourceKind.Pods, Ns, pod)), p => p is not null, TimeSpan.FromSeconds(10), "the pod");
        api.Mutate(ResourceKind.Pods, Ns, pod, p => p["status"] = Status("Running", new JsonObject { ["running"] = new JsonObject() }));
        api.WriteLog(Ns, pod, "devplatform: installing bundle 'tools' (pip): rich>=13\nCollecting rich>=13\n");
        await Eventually.UntilAsync(() => Task.FromResult(progress.Lines), l => l.Contains("Collecting rich>=13"), TimeSpan.FromSeconds(10), "the installer's output as progress");
        Assert.False(start.IsCompleted, "the start waits for the bundles");
        api.WriteLog(Ns, pod, "Successfully installed rich-13.9.4\ndevplatform: bundles installed\n");
        await start;
        Assert.Equal("Bundles installed; starting the environment", progress.Lines[^1]);

        var failing = Spec() with { Packages = [new PackageInstall("tools", "pip", ["nope==0"])] };
        var failingPod = WorkloadObjects.NameOf(failing.Id);
        var failed = backend.StartAsync(failing, new Progress(), CancellationToken.None);
        await Eventually.UntilAsync(() => Task.FromResult(api.Find(ResourceKind.Pods, Ns, failingPod)), p => p is not null, TimeSpan.FromSeconds(10), "the pod");
        api.Mutate(ResourceKind.Pods, Ns, failingPod, p => p["status"] = Status("Running", new JsonObject { ["running"] = new JsonObject() }));
        api.WriteLog(Ns, failingPod, "devplatform: installing bundle 'tools' (pip): nope==0\nERROR: No matching distribution found for nope==0\n");
        api.Mutate(ResourceKind.Pods, Ns, failingPod, p => p["status"] = Status("Failed", new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = 1 } }));
        var error = await Assert.ThrowsAsync<BackendStartException>(() => failed);
        Assert.Equal("Installing bundles failed (the container exited with 1): ERROR: No matching distribution found for nope==0. The full output is in the environment's logs.", error.Message);
    }

    /// <summary>Built-in kinds place pods by node affinity to their NodePool and tolerations; a nodeSelector appears only when a kind asks for node labels.</summary>
    [Fact]
    public void Pods_CarryANodeSelectorOnlyWhenTheKindAsksForNodeLabels()
    {
        Assert.Null(WorkloadObjects.Pod(Spec(), new KubernetesOptions()).Spec.NodeSelector);
        var labelled = Spec() with { Placement = Spec().Placement! with { NodeSelector = new Dictionary<string, string> { ["example.com/tpu"] = "v5e" } } };
        Assert.Equal("v5e", WorkloadObjects.Pod(labelled, new KubernetesOptions()).Spec.NodeSelector["example.com/tpu"]);
    }

    /// <summary>The fake admits claims as the real server does with a LimitRange and a ResourceQuota (what a storage quota on claims used to refuse).</summary>
    [Fact]
    public async Task TheApiServer_RefusesClaimsOverALimitRangeOrQuota_InTheRealWords()
    {
        using var client = ClusterConnection.Connect(config, null, NullLogger.Instance);
        await client.ApplyAsync(new k8s.Models.V1LimitRange
        {
            ApiVersion = "v1", Kind = "LimitRange", Metadata = new k8s.Models.V1ObjectMeta { Name = "caps" },
            Spec = new k8s.Models.V1LimitRangeSpec { Limits = [new k8s.Models.V1LimitRangeItem { Type = "PersistentVolumeClaim", Max = new Dictionary<string, k8s.Models.ResourceQuantity> { ["storage"] = new("15Gi") } }] },
        }, Ns, default);
        await client.ApplyAsync(new k8s.Models.V1ResourceQuota
        {
            ApiVersion = "v1", Kind = "ResourceQuota", Metadata = new k8s.Models.V1ObjectMeta { Name = "devplatform" },
            Spec = new k8s.Models.V1ResourceQuotaSpec { Hard = new Dictionary<string, k8s.Models.ResourceQuantity> { ["requests.storage"] = new("15Gi") } },
        }, Ns, default);
        var (_, efsClaim) = WorkloadObjects.EfsStorage(Ns, new KubernetesOptions { EfsFileSystemId = "fs-1" });
        var tooBig = await Assert.ThrowsAsync<KubernetesApiException>(() => client.ApplyAsync(efsClaim, Ns, default));
        Assert.Equal("persistentvolumeclaims \"devplatform-storage\" is forbidden: maximum storage usage per PersistentVolumeClaim is 15Gi, but request is 1Pi", tooBig.ServerMessage);
        await client.ApplyAsync(WorkloadObjects.HomeClaim(Spec(), new KubernetesOptions()), Ns, default);
        var second = await Assert.ThrowsAsync<KubernetesApiException>(() => client.ApplyAsync(WorkloadObjects.HomeClaim(Spec() with { User = "carol" }, new KubernetesOptions()), Ns, default));
        Assert.Equal("persistentvolumeclaims \"home-carol\" is forbidden: exceeded quota: devplatform, requested: requests.storage=10737418240, used: requests.storage=10737418240, limited: requests.storage=15Gi", second.ServerMessage);
    }

    private KubernetesBackend Backend(KubernetesOptions options) => new(Options.Create(options),
        () => ClusterConnection.Connect(config, null, NullLogger.Instance), new FixedQuotas(), clock, NullLogger<KubernetesBackend>.Instance);

    /// <summary>The group policy as the platform's GroupQuotaSource would read it from the database.</summary>
    private sealed class FixedQuotas : IGroupQuotas
    {
        public Task<GroupQuota> FindAsync(string group, CancellationToken cancellationToken) => Task.FromResult(new GroupQuota("16", "64Gi", 4, ["nvidia.com/gpu", "nvidia.com/mig-1g.10gb"]));
    }

    private static EnvironmentSpec Spec() => new(
        Guid.NewGuid(), "ada", "train", "physics", "pytorch", "mig", "nvidia-mig", "quay.io/jupyter/pytorch-notebook:cuda12",
        ["jupyterhub-singleuser", "--ip={ip}", "--port={port}"],
        new Dictionary<string, string> { ["PORT"] = "{port}", ["JUPYTERHUB_API_TOKEN"] = "0123456789abcdef0123456789abcdef", ["JUPYTERHUB_SERVICE_PREFIX"] = "/user/ada/train/" },
        new EnvironmentResources(1.5m, 4m, 8L << 30, 16L << 30, 2), [], "/user/ada/train/", false,
        new Dictionary<string, string> { ["devplatform.io/user"] = "ada", ["devplatform.io/group"] = "physics", ["devplatform.io/profile"] = "pytorch", ["devplatform.io/pool"] = "mig", ["devplatform.io/capacity-type"] = "spot" },
        new AcceleratorPlacement(
            new Dictionary<string, string> { ["nvidia.com/mig-1g.10gb"] = "2" },
            [new NodeToleration("nvidia.com/gpu", "Exists", null, "NoSchedule")],
            new Dictionary<string, string>(),
            new Dictionary<string, string> { ["NVIDIA_DRIVER_CAPABILITIES"] = "compute,utility" }));

    private static JsonObject Status(string phase, JsonObject state) => new()
    {
        ["phase"] = phase,
        ["conditions"] = new JsonArray(new JsonObject { ["type"] = "PodScheduled", ["status"] = "True" }),
        ["containerStatuses"] = new JsonArray(new JsonObject { ["name"] = "environment", ["ready"] = false, ["restartCount"] = 0, ["image"] = "x", ["imageID"] = "", ["state"] = state }),
    };

    /// <summary>What we sent: the stored object without what the server and the "kubelet" added.</summary>
    private static JsonObject Desired(JsonObject stored)
    {
        var copy = stored.DeepClone().AsObject();
        copy.Remove("status");
        foreach (var field in new[] { "uid", "creationTimestamp", "resourceVersion", "managedFields", "namespace" })
        {
            copy["metadata"]!.AsObject().Remove(field);
        }

        (copy["spec"] as JsonObject)?.Remove("nodeName");
        return copy;
    }

    private sealed class RecordingProgress : IStartProgress
    {
        public TaskCompletionSource<BackendStart> Created { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Report(string value)
        {
        }

        public Task CreatedAsync(BackendStart created, CancellationToken cancellationToken)
        {
            Created.TrySetResult(created);
            return Task.CompletedTask;
        }
    }

    private sealed class Progress : IProgress<string>
    {
        private readonly List<string> lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (lines)
                {
                    return [.. lines];
                }
            }
        }

        public void Report(string value)
        {
            lock (lines)
            {
                lines.Add(value);
            }
        }
    }
}
