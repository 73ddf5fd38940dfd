using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using DevPlatform.Kubernetes.Client;

namespace DevPlatform.IntegrationTests.Kubernetes;

/// <summary>Our Kubernetes client against an API server that answers as the documented API does.</summary>
public sealed class KubernetesClientTests : IAsyncLifetime
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
    public async Task Apply_CreatesAndUpdates_AnotherManagersFieldIsAConflictUnlessForced()
    {
        using var client = Client("token");
        using var kubectl = Client("token", fieldManager: "kubectl");
        var created = await client.ApplyAsync<JsonObject>(ResourceKind.ConfigMaps, Ns, "settings", ConfigMap("settings", ("mode", "fast")), force: false, default);
        Assert.False(string.IsNullOrEmpty((string?)created["metadata"]!["uid"]));
        Assert.Equal(Ns, (string?)created["metadata"]!["namespace"]);

        await kubectl.ApplyAsync<JsonObject>(ResourceKind.ConfigMaps, Ns, "settings", ConfigMap("settings", ("mode", "slow")), force: true, default);
        var conflict = await Assert.ThrowsAsync<KubernetesApiException>(() =>
            client.ApplyAsync<JsonObject>(ResourceKind.ConfigMaps, Ns, "settings", ConfigMap("settings", ("mode", "fast"), ("extra", "1")), force: false, default));
        Assert.Equal(HttpStatusCode.Conflict, conflict.Status);
        Assert.Contains("conflict with \"kubectl\": .data.mode", conflict.ServerMessage, StringComparison.Ordinal);
        Assert.Equal("slow", (string?)api.Find(ResourceKind.ConfigMaps, Ns, "settings")!["data"]!["mode"]); // nothing half-applied
        Assert.Null(api.Find(ResourceKind.ConfigMaps, Ns, "settings")!["data"]!["extra"]);

        var forced = await client.ApplyAsync<JsonObject>(ResourceKind.ConfigMaps, Ns, "settings", ConfigMap("settings", ("mode", "fast")), force: true, default);
        Assert.Equal("fast", (string?)forced["data"]!["mode"]);
        Assert.Equal(created["metadata"]!["uid"]!.ToString(), forced["metadata"]!["uid"]!.ToString());
    }

    [Fact]
    public async Task InvalidObject_Is422WithTheServersCauses_AndOtherRefusalsAreNotRetried()
    {
        using var client = Client("token");
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = new JsonObject { ["name"] = "bad" },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "busybox", ["imagePullPolicyy"] = "Always" }) },
        };
        var invalid = await Assert.ThrowsAsync<KubernetesApiException>(() => client.ApplyAsync<JsonObject>(ResourceKind.Pods, Ns, "bad", pod, true, default));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.Status);
        Assert.Equal("Invalid", invalid.Reason);
        Assert.Contains(invalid.Causes, c => c.Contains(".spec.containers[0].imagePullPolicyy: unknown field", StringComparison.Ordinal));

        api.FailNext(403, null);
        var forbidden = await Assert.ThrowsAsync<KubernetesApiException>(() => client.GetAsync<JsonObject>(ResourceKind.Pods, Ns, "x", default));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Status);
        Assert.Single(api.Requests, r => r.StartsWith("GET /api/v1/namespaces/devplatform/pods/x", StringComparison.Ordinal));
        Assert.Null(await client.GetAsync<JsonObject>(ResourceKind.Pods, Ns, "x", default));
    }

    [Fact]
    public async Task TooManyRequests_AndServerErrors_AreRetried_HonouringRetryAfter()
    {
        using var client = Client("token");
        await client.ApplyAsync<JsonObject>(ResourceKind.ConfigMaps, Ns, "a", ConfigMap("a"), true, default);
        api.FailNext(429, retryAfterSeconds: 1, count: 2);
        api.FailNext(503, null);
        var watch = Stopwatch.StartNew();
        Assert.NotNull(await client.GetAsync<JsonObject>(ResourceKind.ConfigMaps, Ns, "a", default));
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(2), $"two Retry-After: 1 answers should hold the client back 2 s; it came back after {watch.Elapsed}");
        Assert.Equal(["429", "429", "503", "200"], api.Requests.Where(r => r.Contains("/configmaps/a ", StringComparison.Ordinal) && r.StartsWith("GET", StringComparison.Ordinal)).Select(r => r[^3..]));
    }

    [Fact]
    public async Task List_FollowsContinueTokens_AndStartsAgainWhenOneExpires()
    {
        using var client = Client("token");
        for (var i = 0; i < 7; i++)
        {
            await client.ApplyAsync<JsonObject>(ResourceKind.ConfigMaps, Ns, $"cm-{i}", Labelled($"cm-{i}", ("team", i % 2 == 0 ? "a" : "b")), true, default);
        }

        var all = await client.ListAsync<JsonObject>(ResourceKind.ConfigMaps, Ns, new ListOptions(PageSize: 3), default);
        Assert.Equal(7, all.Items.Count);
        Assert.Equal(3, api.Requests.Count(r => r.Contains("/configmaps?limit=3", StringComparison.Ordinal)));

        var teamA = await client.ListAsync<JsonObject>(ResourceKind.ConfigMaps, Ns, new ListOptions("team=a", PageSize: 2), default);
        Assert.Equal(["cm-0", "cm-2", "cm-4", "cm-6"], teamA.Items.Select(i => (string?)i["metadata"]!["name"]));

        api.ExpireNextContinues = 1;
        var again = await client.ListAsync<JsonObject>(ResourceKind.ConfigMaps, Ns, new ListOptions(PageSize: 5), default);
        Assert.Equal(7, again.Items.Count);
        Assert.Contains(api.Requests, r => r.Contains("continue=", StringComparison.Ordinal) && r.EndsWith(" 410", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListAndWatch_SeesChangesAndBookmarks_AndRelistsAfter410Gone()
    {
        using var client = Client("token");
        await client.ApplyAsync<JsonObject>(ResourceKind.ConfigMaps, Ns, "one", Labelled("one", ("app", "x")), true, default);
        await client.ApplyAsync<JsonObject>(ResourceKind.ConfigMaps, Ns, "other", Labelled("other", ("app", "y")), true, default);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var events = client.ListAndWatchAsync<JsonObject>(ResourceKind.ConfigMaps, Ns, new ListOptions("app=x"), cancel.Token).GetAsyncEnumerator(cancel.Token);

        Assert.Equal((WatchEventType.Added, "one"), await NextAsync(events));
        await client.ApplyAsync<JsonObject>(ResourceKind.ConfigMaps, Ns, "two", Labelled("two", ("app", "x")), true, default);
        Assert.Equal((WatchEventType.Added, "two"), await NextAsync(events));
        api.Mutate(ResourceKind.ConfigMaps, Ns, "one", c => c["data"] = new JsonObject { ["k"] = "v" });
        Assert.Equal((WatchEventType.Modified, "one"), await NextAsync(events));
        var bookmark = await NextAsync(events, includeBookmarks: true);
        Assert.Equal(WatchEventType.Bookmark, bookmark.Type);
        Assert.Contains(api.Requests, r => r.Contains("&watch=1&allowWatchBookmarks=true&timeoutSeconds=", StringComparison.Ordinal));

        await client.DeleteAsync(ResourceKind.ConfigMaps, Ns, "two", PropagationPolicy.Background, default);
        Assert.Equal((WatchEventType.Deleted, "two"), await NextAsync(events));
        api.Compact();
        Assert.Equal((WatchEventType.Relisted, null), await NextAsync(events));
        Assert.Equal((WatchEventType.Added, "one"), await NextAsync(events));
        Assert.Contains(api.Requests, r => r.Contains("watch=1", StringComparison.Ordinal) && r.EndsWith(" 200", StringComparison.Ordinal));

        await client.DeleteAsync(ResourceKind.ConfigMaps, Ns, "one", PropagationPolicy.Foreground, default);
        Assert.Equal((WatchEventType.Deleted, "one"), await NextAsync(events));
        Assert.Equal(["configmaps/two Background", "configmaps/one Foreground"], api.Deletions);
        Assert.False(await client.DeleteAsync(ResourceKind.ConfigMaps, Ns, "one", PropagationPolicy.Background, default));
    }

    [Fact]
    public async Task ClientCertificate_AndExecPlugin_AndInClusterServiceAccount_Authenticate()
    {
        using (var byCertificate = Client("certificate"))
        {
            Assert.NotNull((await byCertificate.ListAsync<JsonObject>(ResourceKind.Namespaces, null, ListOptions.All, default)).ResourceVersion);
        }

        // aws eks get-token's shape: reads KUBERNETES_EXEC_INFO, prints an ExecCredential with a token and its expiry.
        var counter = Path.Combine(directory, "calls");
        var plugin = Path.Combine(directory, "get-token");
        await File.WriteAllTextAsync(plugin, $$$"""
            #!/bin/sh
            case "$KUBERNETES_EXEC_INFO" in *'"kind":"ExecCredential"'*) ;; *) echo "no exec info" >&2; exit 3;; esac
            [ "$FAKE_CLUSTER" = test ] || { echo "env not passed" >&2; exit 4; }
            echo x >> {{{counter}}}
            n=$(wc -l < {{{counter}}})
            printf '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"exec-token-%s","expirationTimestamp":"2099-01-01T00:00:00Z"}}' "$n"
            """.Replace("\r", "", StringComparison.Ordinal));
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        api.AcceptedTokens.Add("exec-token-1");
        using (var byExec = Client("exec", plugin, ["--cluster-name", "lab"]))
        {
            await byExec.GetAsync<JsonObject>(ResourceKind.Pods, Ns, "x", default);
            await byExec.GetAsync<JsonObject>(ResourceKind.Pods, Ns, "y", default);
            Assert.Single(await File.ReadAllLinesAsync(counter)); // cached until it expires

            api.AcceptedTokens.Remove("exec-token-1"); // the cluster stops accepting it: 401, the plugin runs again
            api.AcceptedTokens.Add("exec-token-2");
            await byExec.GetAsync<JsonObject>(ResourceKind.Pods, Ns, "z", default);
            Assert.Equal(2, (await File.ReadAllLinesAsync(counter)).Length);
        }

        var account = Directory.CreateDirectory(Path.Combine(directory, "serviceaccount")).FullName;
        await File.WriteAllTextAsync(Path.Combine(account, "token"), FakeKubernetesApi.Token + "\n");
        await File.WriteAllTextAsync(Path.Combine(account, "ca.crt"), TestCertificates.Pem(api.Certificates.Ca));
        await File.WriteAllTextAsync(Path.Combine(account, "namespace"), "hub");
        var connection = InClusterConfig.Load(TimeProvider.System, account, new Dictionary<string, string?>
        {
            ["KUBERNETES_SERVICE_HOST"] = "127.0.0.1", ["KUBERNETES_SERVICE_PORT"] = api.Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var inCluster = new KubernetesClient(connection, TimeProvider.System);
        Assert.Equal("hub", inCluster.DefaultNamespace);
        Assert.Null(await inCluster.GetAsync<JsonObject>(ResourceKind.Pods, "hub", "x", default));

        using var stranger = new KubernetesClient(connection with { Credentials = new StaticToken("wrong") }, TimeProvider.System);
        var refused = await Assert.ThrowsAsync<KubernetesApiException>(() => stranger.GetAsync<JsonObject>(ResourceKind.Pods, "hub", "x", default));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
    }

    private KubernetesClient Client(string user, string? exec = null, string[]? args = null, string fieldManager = KubernetesClient.DefaultFieldManager)
    {
        var path = Path.Combine(directory, $"config-{Guid.NewGuid():N}");
        File.WriteAllText(path, api.KubeConfig(user, exec, args ?? []));
        return new KubernetesClient(KubeConfig.Load([path], null, TimeProvider.System), TimeProvider.System, fieldManager: fieldManager);
    }

    private static JsonObject ConfigMap(string name, params (string Key, string Value)[] data) => ConfigMap(name, data, []);

    private static JsonObject ConfigMap(string name, (string Key, string Value)[] data, (string Key, string Value)[] labels) => new()
    {
        ["apiVersion"] = "v1", ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))) },
        ["data"] = new JsonObject(data.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)d.Value))),
    };

    private static JsonObject Labelled(string name, (string Key, string Value) label) => ConfigMap(name, [], [label]);

    private static async Task<(WatchEventType Type, string? Name)> NextAsync(IAsyncEnumerator<WatchEvent<JsonObject>> events, bool includeBookmarks = false)
    {
        while (await events.MoveNextAsync())
        {
            if (events.Current.Type != WatchEventType.Bookmark || includeBookmarks)
            {
                return (events.Current.Type, (string?)events.Current.Item?["metadata"]?["name"]);
            }
        }

        throw new InvalidOperationException("the watch ended");
    }
}
