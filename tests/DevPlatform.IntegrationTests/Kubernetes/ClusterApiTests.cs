using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using DevPlatform.Kubernetes.Client;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace DevPlatform.IntegrationTests.Kubernetes;

/// <summary>
/// Our layer over the official client (<see cref="ClusterApi"/>) against an API server that answers as the documented API
/// does: typed server-side apply, the server's refusals, our retry policy, paged lists, a pod watch that outlives broken
/// streams, outages and compaction, and the kubeconfig's ways to authenticate as the official client loads them.
/// </summary>
public sealed class ClusterApiTests : IAsyncLifetime
{
    private const string Ns = "devplatform";
    private FakeKubernetesApi api = null!;
    private string directory = null!;

    public async Task InitializeAsync()
    {
        api = await FakeKubernetesApi.StartAsync();
        directory = Directory.CreateTempSubdirectory("kube-").FullName;
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        Directory.Delete(directory, true);
    }

    [Fact]
    public async Task Apply_CreatesAndUpdatesTypedObjects_AsOurFieldManager_TakingFieldsAnotherManagerSet()
    {
        using var client = Client("token");
        using var kubectl = Client("token", fieldManager: "kubectl");
        var created = await client.ApplyAsync(ConfigMap("settings", ("mode", "fast")), Ns, default);
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.Equal(Ns, created.Metadata.NamespaceProperty);
        Assert.Contains(api.Requests, r => r.StartsWith("PATCH /api/v1/namespaces/devplatform/configmaps/settings?fieldManager=devplatform&force=true", StringComparison.Ordinal));

        await kubectl.ApplyAsync(ConfigMap("settings", ("mode", "slow")), Ns, default);
        Assert.Equal("slow", (string?)api.Find(ResourceKind.ConfigMaps, Ns, "settings")!["data"]!["mode"]);
        var updated = await client.ApplyAsync(ConfigMap("settings", ("mode", "fast")), Ns, default);
        Assert.Equal("fast", updated.Data["mode"]);
        Assert.Equal(created.Metadata.Uid, updated.Metadata.Uid);
    }

    [Fact]
    public async Task AnInvalidObject_Is422WithTheServersCauses_OtherRefusalsAreNotRetried_AMissingPodIsNull()
    {
        using var client = Client("token");
        var pod = new V1Pod
        {
            ApiVersion = "v1", Kind = "Pod", Metadata = new V1ObjectMeta { Name = "bad" },
            Spec = new V1PodSpec { Containers = [new V1Container { Image = "busybox" }] }, // a container must have a name
        };
        var invalid = await Assert.ThrowsAsync<KubernetesApiException>(() => client.ApplyAsync(pod, Ns, default));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.Status);
        Assert.Equal("Invalid", invalid.Reason);
        Assert.Contains(invalid.Causes, c => c.Contains("spec.containers[0].name", StringComparison.Ordinal));

        api.FailNext(403, null);
        var forbidden = await Assert.ThrowsAsync<KubernetesApiException>(() => client.ReadPodAsync(Ns, "x", default));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Status);
        Assert.Single(api.Requests, r => r.StartsWith("GET /api/v1/namespaces/devplatform/pods/x", StringComparison.Ordinal));
        Assert.Null(await client.ReadPodAsync(Ns, "x", default));
        Assert.False(await client.DeleteAsync<V1Pod>(Ns, "x", default));
    }

    [Fact]
    public async Task TooManyRequests_AndServerErrors_AreRetried_HonouringRetryAfter()
    {
        using var client = Client("token");
        await client.ApplyAsync(Pod("a"), Ns, default);
        api.FailNext(429, retryAfterSeconds: 1, count: 2);
        api.FailNext(503, null);
        var watch = Stopwatch.StartNew();
        Assert.NotNull(await client.ReadPodAsync(Ns, "a", default));
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(2), $"two Retry-After: 1 answers should hold the client back 2 s; it came back after {watch.Elapsed}");
        Assert.Equal(["429", "429", "503", "200"], api.Requests.Where(r => r.Contains("/pods/a ", StringComparison.Ordinal) && r.StartsWith("GET", StringComparison.Ordinal)).Select(r => r[^3..]));
    }

    [Fact]
    public async Task ListPods_FollowsContinueTokens_AndStartsAgainWhenOneExpires()
    {
        using var client = Client("token", pageSize: 3);
        for (var i = 0; i < 7; i++)
        {
            await client.ApplyAsync(Pod($"p-{i}", ("team", i % 2 == 0 ? "a" : "b")), Ns, default);
        }

        Assert.Equal(7, (await client.ListPodsAsync(Ns, null, null, default)).Items.Count);
        Assert.Equal(3, api.Requests.Count(r => r.Contains("/pods?", StringComparison.Ordinal) && r.Contains("limit=3", StringComparison.Ordinal)));
        var teamA = await client.ListPodsAsync(null, "team=a", null, default);
        Assert.Equal(["p-0", "p-2", "p-4", "p-6"], teamA.Items.Select(i => i.Metadata.Name));

        api.ExpireNextContinues = 1;
        Assert.Equal(7, (await client.ListPodsAsync(Ns, null, null, default)).Items.Count);
        Assert.Contains(api.Requests, r => r.Contains("continue=", StringComparison.Ordinal) && r.EndsWith(" 410", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WatchPod_SeesChanges_AndCarriesOnThroughABrokenStream_AnOutageLongerThanTheRetries_AndCompaction()
    {
        using var client = Client("token");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var events = client.WatchPodAsync(Ns, "nb", cancel.Token).GetAsyncEnumerator(cancel.Token);
        Assert.Equal((WatchEventType.Added, null), await NextAsync(events)); // listed: not there yet

        await client.ApplyAsync(Pod("nb"), Ns, default);
        Assert.Equal((WatchEventType.Added, "nb"), await NextAsync(events));

        // The API server restarts: the stream ends mid-response, and for longer than the retry budget (6 answers) it answers 503.
        var watchesBefore = api.Requests.Count(r => r.Contains("watch=true", StringComparison.Ordinal));
        api.FailNext(503, null, count: 8, pathContains: "/pods");
        api.BreakWatches();
        api.Mutate(ResourceKind.Pods, Ns, "nb", p => p["status"] = new JsonObject { ["phase"] = "Running" });
        Assert.Equal((WatchEventType.Modified, "Running"), await NextAsync(events, phase: true));
        Assert.True(api.Requests.Count(r => r.Contains("watch=true", StringComparison.Ordinal)) > watchesBefore + 1, "the watch was made again, after the outage");

        api.Compact();
        api.Mutate(ResourceKind.Pods, Ns, "nb", p => p["status"] = new JsonObject { ["phase"] = "Succeeded" });
        var (type, phase) = await NextAsync(events, phase: true);
        Assert.True(phase == "Succeeded", $"after compaction the pod is listed again with its state; got {type} {phase}");

        await client.DeleteAsync<V1Pod>(Ns, "nb", default);
        var afterDelete = await NextAsync(events);
        if (afterDelete.Type == WatchEventType.Modified)
        {
            afterDelete = await NextAsync(events); // it ran on a node: first terminating (a deletionTimestamp), then gone
        }

        Assert.Equal((WatchEventType.Deleted, "nb"), afterDelete);
        Assert.Equal(["pods/nb Background"], api.Deletions);
    }

    [Fact]
    public async Task ClientCertificate_AndExecPlugin_Authenticate_TheExecTokenIsCachedUntilItExpires()
    {
        using (var byCertificate = Client("certificate"))
        {
            Assert.Null(await byCertificate.ReadPodAsync(Ns, "x", default));
        }

        // aws eks get-token's shape: reads KUBERNETES_EXEC_INFO, prints an ExecCredential with a token and its expiry.
        var counter = Path.Combine(directory, "calls");
        var plugin = Path.Combine(directory, "get-token");
        await File.WriteAllTextAsync(plugin, $$$"""
            #!/bin/sh
            [ "$FAKE_CLUSTER" = test ] || { echo "env not passed" >&2; exit 4; }
            echo x >> {{{counter}}}
            printf '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"exec-token","expirationTimestamp":"2099-01-01T00:00:00Z"}}'
            """.Replace("\r", "", StringComparison.Ordinal));
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        api.AcceptedTokens.Add("exec-token");
        using (var byExec = Client("exec", plugin, ["--cluster-name", "lab"]))
        {
            Assert.Null(await byExec.ReadPodAsync(Ns, "x", default));
            var runs = (await File.ReadAllLinesAsync(counter)).Length; // the official client runs it loading the config, and for its first token
            Assert.Null(await byExec.ReadPodAsync(Ns, "y", default));
            Assert.Null(await byExec.ReadPodAsync(Ns, "z", default));
            Assert.Equal(runs, (await File.ReadAllLinesAsync(counter)).Length); // then the token is cached until it expires
        }

        api.AcceptedTokens.Remove(FakeKubernetesApi.Token);
        using var stranger = Client("token");
        var refused = await Assert.ThrowsAsync<KubernetesApiException>(() => stranger.ReadPodAsync(Ns, "x", default));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
    }

    private ClusterApi Client(string user, string? exec = null, string[]? args = null, string fieldManager = ClusterApi.DefaultFieldManager, int pageSize = 500)
    {
        var path = Path.Combine(directory, $"config-{Guid.NewGuid():N}");
        File.WriteAllText(path, api.KubeConfig(user, exec, args ?? []));
        var config = ClusterConnection.Configuration(path, null);
        return new ClusterApi(new k8s.Kubernetes(config, new RetryHandler(NullLogger.Instance)), config.Namespace, NullLogger.Instance, fieldManager) { PageSize = pageSize };
    }

    private static V1ConfigMap ConfigMap(string name, params (string Key, string Value)[] data) => new()
    {
        ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = name }, Data = data.ToDictionary(d => d.Key, d => d.Value),
    };

    private static V1Pod Pod(string name, params (string Key, string Value)[] labels) => new()
    {
        ApiVersion = "v1", Kind = "Pod", Metadata = new V1ObjectMeta { Name = name, Labels = labels.ToDictionary(l => l.Key, l => l.Value) },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] },
    };

    private static async Task<(WatchEventType Type, string? What)> NextAsync(IAsyncEnumerator<(WatchEventType Type, V1Pod? Pod)> events, bool phase = false)
    {
        while (await events.MoveNextAsync())
        {
            var (type, pod) = events.Current;
            if (!phase || pod?.Status?.Phase is not null || type == WatchEventType.Deleted)
            {
                return (type, phase ? pod?.Status?.Phase : pod?.Metadata.Name);
            }
        }

        throw new InvalidOperationException("the watch ended");
    }
}
