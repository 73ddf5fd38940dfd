using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using DevPlatform.IntegrationTests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace DevPlatform.IntegrationTests.Kubernetes;

/// <summary>
/// An API server on loopback (TLS, bearer token or client certificate) that behaves as the documented
/// Kubernetes API does for what we use: server-side apply (apply-patch+yaml, fieldManager, per-manager field
/// ownership, 409 Conflict naming the other manager's fields unless force=true), strict schema validation
/// (422 Invalid with causes, from the official OpenAPI and CRD schemas), get, paged list (limit/continue,
/// 410 on an expired continue), label and field selectors, delete with propagation, and watch=1 streams
/// (history after a resourceVersion, live events, BOOKMARKs, ERROR 410 for a compacted resourceVersion).
/// As a real server does, it also: authorises every request by RBAC verb when <see cref="Granted"/> is set (an apply of
/// an object that does not exist yet is a <c>create</c> as well as a <c>patch</c>); refuses changes to a pod's spec other
/// than its images; keeps a deleted pod that ran on a node terminating for <see cref="TerminationDelay"/>; admits claims
/// and pods through a namespace's LimitRange and ResourceQuota with the real messages; answers an empty 204 for the log
/// of a pod not yet on a node; and can end watch streams abruptly (<see cref="BreakWatches"/>).
/// Tests play scheduler and kubelet through <see cref="Mutate"/> and <see cref="RecordEvent"/>.
/// </summary>
public sealed class FakeKubernetesApi : IAsyncDisposable
{
    public const string Token = "fake-cluster-bearer-token";
    private readonly object gate = new();
    private readonly Dictionary<string, Entry> objects = new(StringComparer.Ordinal);
    private readonly List<Change> history = [];
    private readonly List<Channel<Change?>> watchers = [];
    private readonly List<(int Status, int? RetryAfter, string? PathContains)> failures = [];
    private readonly List<HttpContext> openWatches = [];
    private readonly Dictionary<string, StringBuilder> logs = new(StringComparer.Ordinal);
    private WebApplication? app;
    private long resourceVersion = 100;
    private long compactedBelow;

    public TestCertificates Certificates { get; } = new();

    public Uri Server { get; private set; } = null!;

    public List<string> AcceptedTokens { get; } = [Token];

    /// <summary>How often open watches get a BOOKMARK when the client allows them.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How many of the next continue tokens presented are answered 410 Expired.</summary>
    public int ExpireNextContinues { get; set; }

    private readonly List<string> configFiles = [];

    private readonly List<string> requests = [];

    /// <summary>
    /// Every request as "METHOD path?query status" in the order they arrived ("..." while still open): a snapshot, since the
    /// server keeps adding while a test reads.
    /// </summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (gate)
            {
                return [.. requests];
            }
        }
    }

    /// <summary>Whether any request so far matches (safe while requests arrive).</summary>
    public bool Requested(Func<string, bool> match)
    {
        lock (gate)
        {
            return requests.Any(match);
        }
    }

    /// <summary>What SelfSubjectAccessReviews answer "no" to, as "group/resource/verb" (e.g. "/pods/delete").</summary>
    public HashSet<string> Denied { get; } = new(StringComparer.Ordinal);

    /// <summary>RBAC: when set, only these "group/resource/verb" are allowed (requests and access reviews); null allows all.</summary>
    public HashSet<string>? Granted { get; set; }

    private readonly HashSet<string> checkedPermissions = new(StringComparer.Ordinal);

    /// <summary>Every "group/resource/verb" the server authorised a request for (as RBAC checks it), allowed or not (a copy, safe while requests arrive).</summary>
    public HashSet<string> Checked
    {
        get
        {
            lock (gate)
            {
                return new HashSet<string>(checkedPermissions, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>How long a deleted pod that runs on a node stays terminating (its grace period) before it is gone.</summary>
    public TimeSpan TerminationDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>The user the credentials authenticate as, in RBAC's messages.</summary>
    public const string ServiceAccount = "system:serviceaccount:devplatform:devplatform";

    /// <summary>Every delete as "plural/name propagationPolicy".</summary>
    public List<string> Deletions { get; } = [];

    public sealed record Change(long Version, string Type, string Collection, string? Namespace, JsonObject Item);

    private sealed record Entry(string Collection, string? Namespace, JsonObject Item, Dictionary<string, HashSet<string>> Owners);

    public static async Task<FakeKubernetesApi> StartAsync()
    {
        _ = KubernetesSchemas.Instance; // no schemas is one clear error here, not a 500 from every apply later
        var fake = new FakeKubernetesApi();
        var port = TestPostgres.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port, l => l.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = fake.Certificates.Server,
            ClientCertificateMode = ClientCertificateMode.AllowCertificate,
            ClientCertificateValidation = (_, _, _) => true, // checked per request against our CA
        })));
        fake.app = builder.Build();
        fake.app.Run(fake.HandleAsync);
        await fake.app.StartAsync();
        fake.Server = new Uri($"https://127.0.0.1:{port}");
        return fake;
    }

    /// <summary>A kubeconfig for this server: CA data, and either the bearer token or the client certificate, or an exec plugin.</summary>
    public string KubeConfig(string user = "token", string? execCommand = null, params string[] execArgs)
    {
        var userEntry = user switch
        {
            "token" => new JsonObject { ["token"] = Token },
            "certificate" => new JsonObject
            {
                ["client-certificate-data"] = Base64(TestCertificates.Pem(Certificates.Client)),
                ["client-key-data"] = Base64(TestCertificates.KeyPem(Certificates.Client)),
            },
            "exec" => new JsonObject
            {
                ["exec"] = new JsonObject
                {
                    ["apiVersion"] = "client.authentication.k8s.io/v1beta1", ["command"] = execCommand,
                    ["args"] = new JsonArray(execArgs.Select(a => (JsonNode)a).ToArray()),
                    ["env"] = new JsonArray(new JsonObject { ["name"] = "FAKE_CLUSTER", ["value"] = "test" }),
                },
            },
            _ => [],
        };
        var config = new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Config", ["current-context"] = "test",
            ["clusters"] = new JsonArray(new JsonObject { ["name"] = "fake", ["cluster"] = new JsonObject { ["server"] = Server.ToString().TrimEnd('/'), ["certificate-authority-data"] = Base64(TestCertificates.Pem(Certificates.Ca)) } }),
            ["users"] = new JsonArray(new JsonObject { ["name"] = "me", ["user"] = userEntry }),
            ["contexts"] = new JsonArray(new JsonObject { ["name"] = "test", ["context"] = new JsonObject { ["cluster"] = "fake", ["user"] = "me", ["namespace"] = "devplatform" } }),
        };
        return config.ToJsonString(); // JSON is YAML
    }

    /// <summary>A kubeconfig file for the token user (what <c>Kubernetes:KubeConfig</c> names); deleted with the server.</summary>
    public async Task<string> KubeConfigFileAsync()
    {
        var path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, KubeConfig());
        configFiles.Add(path);
        return path;
    }

    /// <summary>The next <paramref name="count"/> API requests (whose path and query contain <paramref name="pathContains"/>, if given) fail with this status (and Retry-After seconds).</summary>
    public void FailNext(int status, int? retryAfterSeconds, int count = 1, string? pathContains = null)
    {
        lock (gate)
        {
            for (var i = 0; i < count; i++)
            {
                failures.Add((status, retryAfterSeconds, pathContains));
            }
        }
    }

    /// <summary>Ends every open watch stream mid-response, as an API server that restarts or a dropped connection does.</summary>
    public void BreakWatches()
    {
        lock (gate)
        {
            foreach (var watch in openWatches)
            {
                watch.Abort();
            }
        }
    }

    public IReadOnlyList<JsonObject> Objects(ResourceKind kind, string? ns = null)
    {
        lock (gate)
        {
            return objects.Values.Where(e => e.Collection == Collection(kind.ApiVersion, kind.Plural) && (ns is null || e.Namespace == ns))
                .Select(e => e.Item.DeepClone().AsObject()).ToList();
        }
    }

    public JsonObject? Find(ResourceKind kind, string? ns, string name)
    {
        lock (gate)
        {
            return objects.GetValueOrDefault(Key(Collection(kind.ApiVersion, kind.Plural), ns, name))?.Item.DeepClone().AsObject();
        }
    }

    /// <summary>Changes an object as a controller would (status, node name); watchers see MODIFIED.</summary>
    public void Mutate(ResourceKind kind, string? ns, string name, Action<JsonObject> change)
    {
        lock (gate)
        {
            var entry = objects[Key(Collection(kind.ApiVersion, kind.Plural), ns, name)];
            change(entry.Item);
            if (kind == ResourceKind.Pods && (string?)entry.Item["status"]?["phase"] is "Running" or "Succeeded" or "Failed" && entry.Item["spec"]?["nodeName"] is null)
            {
                entry.Item["spec"]!["nodeName"] = "ip-10-0-0-1"; // only the kubelet of the node the scheduler chose runs a pod
            }

            Publish("MODIFIED", entry);
        }
    }

    /// <summary>An object a controller made (a Deployment's pod): <paramref name="item"/> with kind, name and namespace filled in; watchers see ADDED.</summary>
    public void Create(ResourceKind kind, string? ns, string name, JsonObject item)
    {
        lock (gate)
        {
            item["apiVersion"] = kind.ApiVersion;
            item["kind"] = kind.Kind;
            var metadata = item["metadata"] as JsonObject ?? [];
            item["metadata"] = metadata;
            metadata["name"] = name;
            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            if (ns is not null)
            {
                metadata["namespace"] = ns;
            }

            var entry = new Entry(Collection(kind.ApiVersion, kind.Plural), ns, item, []);
            objects[Key(entry.Collection, ns, name)] = entry;
            Publish("ADDED", entry);
        }
    }

    /// <summary>A core/v1 Event about an object, as the scheduler or kubelet would record it.</summary>
    public void RecordEvent(string ns, string podName, string type, string reason, string message)
    {
        lock (gate)
        {
            var name = $"{podName}.{resourceVersion + 1:x}";
            var item = new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "Event",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
                ["involvedObject"] = new JsonObject { ["kind"] = "Pod", ["name"] = podName, ["namespace"] = ns },
                ["type"] = type, ["reason"] = reason, ["message"] = message,
            };
            var entry = new Entry(Collection("v1", "events"), ns, item, []);
            objects[Key(entry.Collection, ns, name)] = entry;
            Publish("ADDED", entry);
        }
    }

    /// <summary>The container writes to its output, as the kubelet would keep it for <c>pods/{name}/log</c>.</summary>
    public void WriteLog(string ns, string podName, string text)
    {
        lock (gate)
        {
            var key = $"{ns}/{podName}";
            logs[key] = (logs.GetValueOrDefault(key) ?? new StringBuilder()).Append(text);
        }
    }

    /// <summary>metrics-server's sample for a pod's container (metrics.k8s.io/v1beta1 PodMetrics; read-only to clients).</summary>
    public void SampleMetrics(string ns, string podName, string container, string cpu, string memory)
    {
        lock (gate)
        {
            var labels = objects.GetValueOrDefault(Key(Collection("v1", "pods"), ns, podName))?.Item["metadata"]?["labels"]?.DeepClone() ?? new JsonObject();
            var item = new JsonObject
            {
                ["apiVersion"] = "metrics.k8s.io/v1beta1", ["kind"] = "PodMetrics",
                ["metadata"] = new JsonObject { ["name"] = podName, ["namespace"] = ns, ["labels"] = labels }, // metrics-server copies the pod's labels
                ["timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), ["window"] = "15s",
                ["containers"] = new JsonArray(new JsonObject { ["name"] = container, ["usage"] = new JsonObject { ["cpu"] = cpu, ["memory"] = memory } }),
            };
            var entry = new Entry(Collection("metrics.k8s.io/v1beta1", "pods"), ns, item, []);
            objects[Key(entry.Collection, ns, podName)] = entry;
        }
    }

    /// <summary>etcd compaction: watches from any resourceVersion seen so far get 410 Gone; open watches end.</summary>
    public void Compact()
    {
        lock (gate)
        {
            resourceVersion++; // writes elsewhere moved the store on; everything before them is compacted away
            compactedBelow = resourceVersion;
            history.Clear();
            foreach (var watcher in watchers)
            {
                watcher.Writer.TryWrite(null);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            lock (gate)
            {
                foreach (var watcher in watchers)
                {
                    watcher.Writer.TryComplete();
                }
            }

            await app.DisposeAsync();
        }

        foreach (var file in configFiles)
        {
            File.Delete(file);
        }

        Certificates.Dispose();
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.ASCII.GetBytes(text));

    private static string Collection(string apiVersion, string plural) => $"{apiVersion}/{plural}";

    private static string Key(string collection, string? ns, string name) => $"{collection}/{ns}/{name}";

    /// <summary>While set, every connection is dropped unanswered, as an API server mid-upgrade or behind a dead load balancer.</summary>
    public bool Unreachable { get; set; }

    private async Task HandleAsync(HttpContext context)
    {
        if (Unreachable)
        {
            context.Abort();
            return;
        }

        var request = context.Request;
        var line = $"{request.Method} {request.Path}{request.QueryString}";
        int index;
        lock (gate)
        {
            index = requests.Count;
            requests.Add($"{line} ..."); // open (a watch); the status replaces the dots when it ends
        }

        try
        {
            await RouteAsync(context);
        }
        finally
        {
            lock (gate)
            {
                requests[index] = $"{line} {context.Response.StatusCode}";
            }
        }
    }

    private async Task RouteAsync(HttpContext context)
    {
        var request = context.Request;
        var bearer = request.Headers.Authorization.ToString();
        var certificate = await context.Connection.GetClientCertificateAsync();
        var authenticated = (bearer.StartsWith("Bearer ", StringComparison.Ordinal) && AcceptedTokens.Contains(bearer[7..]))
            || (certificate is not null && Certificates.SignedByCa(certificate));
        if (!authenticated)
        {
            await StatusAsync(context.Response, 401, "Unauthorized", "Unauthorized");
            return;
        }

        (int Status, int? RetryAfter, string? PathContains)? failure = null;
        lock (gate)
        {
            var target = $"{request.Method} {request.Path}{request.QueryString}";
            var index = failures.FindIndex(f => f.PathContains is null || target.Contains(f.PathContains, StringComparison.Ordinal));
            if (index >= 0)
            {
                failure = failures[index];
                failures.RemoveAt(index);
            }
        }

        if (failure is { } f)
        {
            if (f.RetryAfter is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            await StatusAsync(context.Response, f.Status, f.Status == 429 ? "TooManyRequests" : "InternalError", f.Status == 429 ? "Too many requests, please try again later." : "etcdserver: request timed out");
            return;
        }

        if (request.Method == "GET" && (request.Path.Value ?? "").Trim('/').Split('/') is ["api", "v1", "namespaces", var logNs, "pods", var logPod, "log"])
        {
            if (!await AuthorizeAsync(context, "", "pods/log", "get", Uri.UnescapeDataString(logPod), Uri.UnescapeDataString(logNs)))
            {
                return;
            }

            await LogAsync(context, Uri.UnescapeDataString(logNs), Uri.UnescapeDataString(logPod));
            return;
        }

        if (request.Method == "POST" && request.Path.Value == "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
        {
            var review = System.Text.Json.Nodes.JsonNode.Parse(await new StreamReader(request.Body).ReadToEndAsync())!;
            var attributes = review["spec"]!["resourceAttributes"]!;
            var resource = (string)attributes["resource"]! + (attributes["subresource"] is { } sub ? "/" + (string)sub! : "");
            var allowed = Allows($"{(string?)attributes["group"]}/{resource}/{(string)attributes["verb"]!}");
            review["status"] = new System.Text.Json.Nodes.JsonObject { ["allowed"] = allowed };
            if (!allowed)
            {
                review["status"]!["reason"] = "RBAC: no rule allows it";
            }

            context.Response.StatusCode = 201;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(review.ToJsonString());
            return;
        }

        if (!TryParsePath(request.Path.Value ?? "", out var collection, out var ns, out var name, out var kind))
        {
            await StatusAsync(context.Response, 404, "NotFound", "the server could not find the requested resource");
            return;
        }

        var verb = request.Method switch
        {
            "GET" when name is not null => "get",
            "GET" when request.Query["watch"] is ["1" or "true"] => "watch",
            "GET" => "list",
            "PATCH" => "patch",
            "DELETE" => "delete",
            "POST" => "create",
            _ => request.Method.ToLowerInvariant(),
        };
        var group = kind.ApiVersion.Contains('/', StringComparison.Ordinal) ? kind.ApiVersion.Split('/')[0] : "";
        if (!await AuthorizeAsync(context, group, kind.Plural, verb, name, ns))
        {
            return;
        }

        if (verb == "patch" && name is not null && Find(kind, ns, name) is null && !await AuthorizeAsync(context, group, kind.Plural, "create", name, ns))
        {
            return; // server-side apply of an object that does not exist is a create too
        }

        switch (request.Method)
        {
            case "GET" when name is not null:
                await GetAsync(context, collection, ns, name, kind);
                break;
            case "GET" when request.Query["watch"] is ["1" or "true"]:
                await WatchAsync(context, collection, ns);
                break;
            case "GET":
                await ListAsync(context, collection, ns, kind);
                break;
            case "PATCH" when name is not null:
                await ApplyAsync(context, collection, ns, name, kind);
                break;
            case "DELETE" when name is not null:
                await DeleteAsync(context, collection, ns, name, kind);
                break;
            default:
                await StatusAsync(context.Response, 405, "MethodNotAllowed", $"{request.Method} is not supported here");
                break;
        }
    }

    private bool Allows(string permission)
    {
        lock (gate)
        {
            checkedPermissions.Add(permission);
            return (Granted is null || Granted.Contains(permission)) && !Denied.Contains(permission);
        }
    }

    /// <summary>RBAC as the real authorizer words a refusal (403 Forbidden).</summary>
    private async Task<bool> AuthorizeAsync(HttpContext context, string group, string resource, string verb, string? name, string? ns)
    {
        if (Allows($"{group}/{resource}/{verb}"))
        {
            return true;
        }

        var what = name is null ? resource : $"{resource.Split('/')[0]} \"{name}\"";
        var scope = ns is null ? "at the cluster scope" : $"in the namespace \"{ns}\"";
        var sub = resource.Contains('/', StringComparison.Ordinal) ? $"resource \"{resource.Split('/')[0]}/{resource.Split('/')[1]}\"" : $"resource \"{resource}\"";
        await StatusAsync(context.Response, 403, "Forbidden", $"{what} is forbidden: User \"{ServiceAccount}\" cannot {verb} {sub} in API group \"{group}\" {scope}");
        return false;
    }

    private static bool TryParsePath(string path, out string collection, out string? ns, out string? name, out ResourceKind kind)
    {
        collection = "";
        ns = name = null;
        kind = null!;
        var segments = path.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        string apiVersion;
        string[] rest;
        if (segments is ["api", var v, ..])
        {
            (apiVersion, rest) = (v, segments[2..]);
        }
        else if (segments is ["apis", var g, var v2, ..])
        {
            (apiVersion, rest) = ($"{g}/{v2}", segments[3..]);
        }
        else
        {
            return false;
        }

        string plural;
        if (rest.Length > (rest is ["namespaces", ..] ? 4 : 2))
        {
            return false; // a subresource this server does not serve
        }

        if (rest is ["namespaces", var n, var p, ..])
        {
            (ns, plural, name) = (n, p, rest.Length > 3 ? rest[3] : null);
        }
        else if (rest is [var p2, ..])
        {
            (plural, name) = (p2, rest.Length > 1 ? rest[1] : null);
        }
        else
        {
            return false;
        }

        var known = ResourceKind.Known.FirstOrDefault(k => k.ApiVersion == apiVersion && k.Plural == plural);
        if (known is null || (known.Namespaced && ns is null && name is not null))
        {
            return false;
        }

        (kind, collection) = (known, Collection(apiVersion, plural));
        return true;
    }

    private async Task GetAsync(HttpContext context, string collection, string? ns, string name, ResourceKind kind)
    {
        JsonObject? item;
        lock (gate)
        {
            item = objects.GetValueOrDefault(Key(collection, ns, name))?.Item.DeepClone().AsObject();
        }

        if (item is null)
        {
            await StatusAsync(context.Response, 404, "NotFound", $"{kind.Plural} \"{name}\" not found");
            return;
        }

        await context.Response.WriteAsJsonAsync(item);
    }

    /// <summary>
    /// pods/{name}/log as the kubelet serves it through the API server: 400 for a container that is not the pod's or
    /// has not started; the last tailLines lines, then cut to the first limitBytes bytes.
    /// </summary>
    private async Task LogAsync(HttpContext context, string ns, string name)
    {
        JsonObject? pod;
        string text;
        lock (gate)
        {
            pod = objects.GetValueOrDefault(Key(Collection("v1", "pods"), ns, name))?.Item.DeepClone().AsObject();
            text = logs.GetValueOrDefault($"{ns}/{name}")?.ToString() ?? "";
        }

        if (pod is null)
        {
            await StatusAsync(context.Response, 404, "NotFound", $"pods \"{name}\" not found");
            return;
        }

        var container = context.Request.Query["container"].ToString();
        var containers = pod["spec"]!["containers"]!.AsArray().Select(c => (string?)c!["name"]).ToList();
        if (!containers.Contains(container))
        {
            await StatusAsync(context.Response, 400, "BadRequest", $"container {container} is not valid for pod {name}");
            return;
        }

        if (pod["spec"]?["nodeName"] is null)
        {
            context.Response.StatusCode = 204; // not on a node yet: the API server has no kubelet to ask, and says nothing
            return;
        }

        var waiting = pod["status"]?["containerStatuses"]?.AsArray().FirstOrDefault(c => (string?)c!["name"] == container)?["state"]?["waiting"];
        if (pod["status"]?["containerStatuses"] is null || waiting is not null)
        {
            await StatusAsync(context.Response, 400, "BadRequest", $"container \"{container}\" in pod \"{name}\" is waiting to start: {(string?)waiting?["reason"] ?? "ContainerCreating"}");
            return;
        }

        if (int.TryParse(context.Request.Query["tailLines"], out var tail))
        {
            var lines = text.Split('\n');
            var complete = text.EndsWith('\n') ? lines[..^1] : lines;
            text = string.Concat(complete.TakeLast(tail).Select(l => l + "\n"));
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        if (int.TryParse(context.Request.Query["limitBytes"], out var limit) && bytes.Length > limit)
        {
            bytes = bytes[..limit];
        }

        context.Response.ContentType = "text/plain";
        await context.Response.Body.WriteAsync(bytes);
    }

    private async Task ListAsync(HttpContext context, string collection, string? ns, ResourceKind kind)
    {
        var query = context.Request.Query;
        var limit = int.TryParse(query["limit"], out var l) && l > 0 ? l : int.MaxValue;
        var offset = 0;
        if (query["continue"] is [{ } token])
        {
            if (ExpireNextContinues > 0)
            {
                ExpireNextContinues--;
                await StatusAsync(context.Response, 410, "Expired", "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
                return;
            }

            offset = int.Parse(Encoding.ASCII.GetString(Convert.FromBase64String(token)), CultureInfo.InvariantCulture);
        }

        List<JsonObject> matching;
        string version;
        lock (gate)
        {
            matching = objects.Where(e => e.Value.Collection == collection && (ns is null || e.Value.Namespace == ns) && Selected(e.Value.Item, query))
                .OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Value.Item.DeepClone().AsObject()).ToList();
            version = resourceVersion.ToString(CultureInfo.InvariantCulture);
        }

        var page = matching.Skip(offset).Take(limit).ToList();
        var metadata = new JsonObject { ["resourceVersion"] = version };
        if (offset + page.Count < matching.Count)
        {
            metadata["continue"] = Convert.ToBase64String(Encoding.ASCII.GetBytes((offset + page.Count).ToString(CultureInfo.InvariantCulture)));
        }

        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["apiVersion"] = kind.ApiVersion, ["kind"] = kind.Kind + "List", ["metadata"] = metadata,
            ["items"] = new JsonArray(page.Select(p => (JsonNode)p).ToArray()),
        });
    }

    private async Task WatchAsync(HttpContext context, string collection, string? ns)
    {
        var query = context.Request.Query;
        var from = long.TryParse(query["resourceVersion"], out var v) ? v : 0;
        var bookmarks = query["allowWatchBookmarks"] is ["true" or "1"];
        var timeout = TimeSpan.FromSeconds(int.TryParse(query["timeoutSeconds"], out var t) ? t : 1800);
        var channel = Channel.CreateUnbounded<Change?>();
        List<Change> backlog;
        bool tooOld;
        lock (gate)
        {
            tooOld = from < compactedBelow;
            backlog = history.Where(c => c.Version > from).ToList();
            watchers.Add(channel);
        }

        context.Response.ContentType = "application/json";
        await context.Response.StartAsync();
        lock (gate)
        {
            openWatches.Add(context);
        }

        try
        {
            if (tooOld)
            {
                var status = StatusBody(410, "Expired", $"too old resource version: {from} ({compactedBelow})");
                await WriteFrameAsync(context.Response, "ERROR", status);
                return;
            }

            foreach (var change in backlog.Where(c => Matches(c, collection, ns, query)))
            {
                await WriteFrameAsync(context.Response, change.Type, change.Item);
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            deadline.CancelAfter(timeout);
            while (!deadline.IsCancellationRequested)
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                tick.CancelAfter(BookmarkInterval);
                Change? next;
                try
                {
                    next = await channel.Reader.ReadAsync(tick.Token);
                }
                catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
                {
                    if (bookmarks)
                    {
                        long current;
                        lock (gate)
                        {
                            current = resourceVersion;
                        }

                        await WriteFrameAsync(context.Response, "BOOKMARK", new JsonObject
                        {
                            ["kind"] = "Pod", ["apiVersion"] = "v1",
                            ["metadata"] = new JsonObject { ["resourceVersion"] = current.ToString(CultureInfo.InvariantCulture) },
                        });
                    }

                    continue;
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                catch (ChannelClosedException)
                {
                    break;
                }

                if (next is null)
                {
                    break; // compaction ends open watches; the client comes back with an old resourceVersion and gets 410
                }

                if (Matches(next, collection, ns, query))
                {
                    await WriteFrameAsync(context.Response, next.Type, next.Item);
                }
            }
        }
        finally
        {
            lock (gate)
            {
                watchers.Remove(channel);
                openWatches.Remove(context);
            }
        }
    }

    private async Task ApplyAsync(HttpContext context, string collection, string? ns, string name, ResourceKind kind)
    {
        var request = context.Request;
        if (request.ContentType?.StartsWith("application/apply-patch+yaml", StringComparison.Ordinal) != true)
        {
            await StatusAsync(context.Response, 415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/apply-patch+yaml");
            return;
        }

        if (request.Query["fieldManager"] is not [{ Length: > 0 } manager])
        {
            await StatusAsync(context.Response, 400, "BadRequest", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
            return;
        }

        var force = request.Query["force"] is ["true"];
        using var reader = new StreamReader(request.Body);
        var patch = YamlJson.Parse(await reader.ReadToEndAsync()) as JsonObject;
        if (patch is null || (string?)patch["apiVersion"] != kind.ApiVersion || (string?)patch["kind"] != kind.Kind || (string?)patch["metadata"]?["name"] != name)
        {
            await StatusAsync(context.Response, 400, "BadRequest", $"the body must be a {kind.ApiVersion} {kind.Kind} named {name}");
            return;
        }

        var invalid = KubernetesSchemas.Instance.Validate(patch);
        if (invalid.Count > 0)
        {
            var body = StatusBody(422, "Invalid", $"{kind.Kind} \"{name}\" is invalid: {string.Join("; ", invalid)}");
            body["details"] = new JsonObject
            {
                ["name"] = name, ["kind"] = kind.Plural,
                ["causes"] = new JsonArray(invalid.Select(i => (JsonNode)new JsonObject { ["reason"] = "FieldValueInvalid", ["field"] = i.Split(':')[0].TrimStart('.'), ["message"] = i }).ToArray()),
            };
            await WriteStatusAsync(context.Response, body);
            return;
        }

        var leaves = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        Leaves(patch, "", leaves);
        leaves.Remove($"{Sep}apiVersion");
        leaves.Remove($"{Sep}kind");
        leaves.Remove($"{Sep}metadata{Sep}name");
        leaves.Remove($"{Sep}metadata{Sep}namespace");
        JsonObject answer;
        bool created;
        lock (gate)
        {
            var key = Key(collection, ns, name);
            created = !objects.TryGetValue(key, out var entry);
            entry ??= new Entry(collection, ns, new JsonObject
            {
                ["apiVersion"] = kind.ApiVersion, ["kind"] = kind.Kind,
                ["metadata"] = new JsonObject
                {
                    ["name"] = name, ["uid"] = Guid.NewGuid().ToString(), ["creationTimestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                },
            }, new Dictionary<string, HashSet<string>>(StringComparer.Ordinal));
            if (ns is not null)
            {
                entry.Item["metadata"]!["namespace"] = ns;
            }

            var conflicts = leaves.Where(l => entry.Owners.Any(o => o.Key != manager && o.Value.Contains(l.Key)) && !JsonNode.DeepEquals(At(entry.Item, l.Key), l.Value))
                .Select(l => (Field: l.Key, Owner: entry.Owners.First(o => o.Key != manager && o.Value.Contains(l.Key)).Key)).ToList();
            if (conflicts.Count > 0 && !force)
            {
                var status = StatusBody(409, "Conflict", $"Apply failed with {conflicts.Count} conflict{(conflicts.Count == 1 ? "" : "s")}: "
                    + string.Join("; ", conflicts.Select(c => $"conflict with \"{c.Owner}\": {Display(c.Field)}")));
                status["details"] = new JsonObject
                {
                    ["causes"] = new JsonArray(conflicts.Select(c => (JsonNode)new JsonObject { ["reason"] = "FieldManagerConflict", ["message"] = $"conflict with \"{c.Owner}\"", ["field"] = Display(c.Field) }).ToArray()),
                };
                answer = status;
            }
            else
            {
                var before = entry.Item.DeepClone();
                var ownersBefore = entry.Owners.ToDictionary(o => o.Key, o => new HashSet<string>(o.Value, StringComparer.Ordinal), StringComparer.Ordinal);
                foreach (var owned in entry.Owners.Where(o => o.Key != manager))
                {
                    owned.Value.ExceptWith(leaves.Keys);
                }

                var previous = entry.Owners.GetValueOrDefault(manager) ?? [];
                foreach (var dropped in previous.Where(p => !leaves.ContainsKey(p) && !entry.Owners.Any(o => o.Key != manager && o.Value.Contains(p))))
                {
                    Remove(entry.Item, dropped);
                }

                foreach (var (path, value) in leaves)
                {
                    Set(entry.Item, path, value?.DeepClone());
                }

                entry.Owners[manager] = [.. leaves.Keys];
                var refused = created ? Admit(kind, ns, name, entry.Item) : Immutable(kind, name, before.AsObject(), entry.Item);
                if (refused is not null)
                {
                    foreach (var property in entry.Item.Select(p => p.Key).ToList())
                    {
                        entry.Item.Remove(property);
                    }

                    foreach (var (property, value) in before.AsObject())
                    {
                        entry.Item[property] = value?.DeepClone();
                    }

                    entry.Owners.Clear();
                    foreach (var (owner, fields) in ownersBefore)
                    {
                        entry.Owners[owner] = fields;
                    }

                    answer = refused;
                    goto Answer;
                }

                entry.Item["metadata"]!["managedFields"] = new JsonArray(entry.Owners.Where(o => o.Value.Count > 0)
                    .Select(o => (JsonNode)new JsonObject { ["manager"] = o.Key, ["operation"] = "Apply", ["fieldsType"] = "FieldsV1" }).ToArray());
                objects[key] = entry;
                if (created || !JsonNode.DeepEquals(Without(before, "managedFields", "resourceVersion"), Without(entry.Item, "managedFields", "resourceVersion")))
                {
                    Publish(created ? "ADDED" : "MODIFIED", entry);
                }

                answer = entry.Item.DeepClone().AsObject();
            }

        Answer:;
        }

        if ((string?)answer["kind"] == "Status")
        {
            await WriteStatusAsync(context.Response, answer);
            return;
        }

        context.Response.StatusCode = created ? 201 : 200;
        await context.Response.WriteAsJsonAsync(answer);
    }

    private async Task DeleteAsync(HttpContext context, string collection, string? ns, string name, ResourceKind kind)
    {
        var options = context.Request.ContentLength > 0 ? await JsonNode.ParseAsync(context.Request.Body) : null;
        Entry? entry;
        lock (gate)
        {
            if (kind == ResourceKind.Pods && objects.GetValueOrDefault(Key(collection, ns, name)) is { } pod && pod.Item["spec"]?["nodeName"] is not null && TerminationDelay > TimeSpan.Zero)
            {
                // A pod on a node terminates gracefully: it stays (with a deletionTimestamp) until its containers have stopped.
                if (pod.Item["metadata"]!["deletionTimestamp"] is null)
                {
                    pod.Item["metadata"]!["deletionTimestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                    pod.Item["metadata"]!["deletionGracePeriodSeconds"] = 30;
                    Deletions.Add($"{kind.Plural}/{name} {(string?)options?["propagationPolicy"] ?? "default"}");
                    Publish("MODIFIED", pod);
                    _ = FinishTerminationAsync(Key(collection, ns, name), pod);
                }

                entry = pod;
                context.Response.StatusCode = 200;
            }
            else if (objects.Remove(Key(collection, ns, name), out entry))
            {
                Deletions.Add($"{kind.Plural}/{name} {(string?)options?["propagationPolicy"] ?? "default"}");
                Publish("DELETED", entry);
            }
        }

        if (entry is null)
        {
            await StatusAsync(context.Response, 404, "NotFound", $"{kind.Plural} \"{name}\" not found");
            return;
        }

        await context.Response.WriteAsJsonAsync(entry.Item);
    }

    private async Task FinishTerminationAsync(string key, Entry pod)
    {
        await Task.Delay(TerminationDelay);
        lock (gate)
        {
            if (objects.GetValueOrDefault(key) == pod)
            {
                objects.Remove(key);
                Publish("DELETED", pod);
            }
        }
    }

    /// <summary>Pods may change only their images (and a few fields we never set); anything else is 422 as the real validation says.</summary>
    private static JsonObject? Immutable(ResourceKind kind, string name, JsonObject before, JsonObject after)
    {
        if (kind != ResourceKind.Pods)
        {
            return null;
        }

        static JsonNode? WithoutImages(JsonNode? spec)
        {
            var copy = spec?.DeepClone();
            foreach (var container in copy?["containers"]?.AsArray() ?? [])
            {
                container!.AsObject().Remove("image");
            }

            return copy;
        }

        if (JsonNode.DeepEquals(WithoutImages(before["spec"]), WithoutImages(after["spec"])))
        {
            return null;
        }

        var status = StatusBody(422, "Invalid", $"Pod \"{name}\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)");
        status["details"] = new JsonObject
        {
            ["name"] = name, ["kind"] = "Pod",
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueForbidden", ["message"] = "Forbidden: pod updates may not change fields other than `spec.containers[*].image`, …", ["field"] = "spec" }),
        };
        return status;
    }

    /// <summary>
    /// Under the lock: admission of a new claim or pod by its namespace's LimitRange (claim size) and ResourceQuota (requested
    /// storage, CPU, memory and extended resources of claims and of pods not yet ended, terminating ones included), in the
    /// real server's words (403 Forbidden).
    /// </summary>
    private JsonObject? Admit(ResourceKind kind, string? ns, string name, JsonObject item)
    {
        if (ns is null || (kind != ResourceKind.PersistentVolumeClaims && kind != ResourceKind.Pods))
        {
            return null;
        }

        var inNamespace = objects.Values.Where(e => e.Namespace == ns).ToList();
        var requested = QuotaRequests(kind, item);
        if (kind == ResourceKind.PersistentVolumeClaims && requested.GetValueOrDefault("requests.storage") is var size and > 0)
        {
            foreach (var range in inNamespace.Where(e => e.Collection == Collection("v1", "limitranges")))
            {
                foreach (var limit in range.Item["spec"]?["limits"]?.AsArray() ?? [])
                {
                    if ((string?)limit!["type"] == "PersistentVolumeClaim" && (string?)limit["max"]?["storage"] is { } max && Quantity(max) < size)
                    {
                        return StatusBody(403, "Forbidden", $"persistentvolumeclaims \"{name}\" is forbidden: maximum storage usage per PersistentVolumeClaim is {max}, but request is {(string?)item["spec"]!["resources"]!["requests"]!["storage"]}");
                    }
                }
            }
        }

        foreach (var quota in inNamespace.Where(e => e.Collection == Collection("v1", "resourcequotas")))
        {
            var used = new Dictionary<string, decimal>(StringComparer.Ordinal);
            foreach (var other in inNamespace.Where(e => e.Collection == Collection("v1", "persistentvolumeclaims") || (e.Collection == Collection("v1", "pods") && (string?)e.Item["status"]?["phase"] is not ("Succeeded" or "Failed"))))
            {
                foreach (var (resource, value) in QuotaRequests(other.Collection.EndsWith("/pods", StringComparison.Ordinal) ? ResourceKind.Pods : ResourceKind.PersistentVolumeClaims, other.Item))
                {
                    used[resource] = used.GetValueOrDefault(resource) + value;
                }
            }

            var over = (quota.Item["spec"]?["hard"] as JsonObject ?? []).Where(h => requested.ContainsKey(h.Key) && used.GetValueOrDefault(h.Key) + requested[h.Key] > Quantity((string)h.Value!)).ToList();
            if (over.Count > 0)
            {
                static string Format(decimal value) => value.ToString("0.###", CultureInfo.InvariantCulture);
                var quotaName = (string?)quota.Item["metadata"]!["name"];
                return StatusBody(403, "Forbidden", $"{kind.Plural} \"{name}\" is forbidden: exceeded quota: {quotaName}, "
                    + $"requested: {string.Join(",", over.Select(o => $"{o.Key}={Format(requested[o.Key])}"))}, "
                    + $"used: {string.Join(",", over.Select(o => $"{o.Key}={Format(used.GetValueOrDefault(o.Key))}"))}, "
                    + $"limited: {string.Join(",", over.Select(o => $"{o.Key}={(string)o.Value!}"))}");
            }
        }

        return null;
    }

    /// <summary>What an object counts against a ResourceQuota: a claim's requested storage, a pod's containers' requests.</summary>
    private static Dictionary<string, decimal> QuotaRequests(ResourceKind kind, JsonObject item)
    {
        var totals = new Dictionary<string, decimal>(StringComparer.Ordinal);
        if (kind == ResourceKind.PersistentVolumeClaims)
        {
            if ((string?)item["spec"]?["resources"]?["requests"]?["storage"] is { } storage)
            {
                totals["requests.storage"] = Quantity(storage);
            }

            return totals;
        }

        foreach (var container in item["spec"]?["containers"]?.AsArray() ?? [])
        {
            foreach (var (resource, value) in container!["resources"]?["requests"] as JsonObject ?? [])
            {
                totals[$"requests.{resource}"] = totals.GetValueOrDefault($"requests.{resource}") + Quantity(value!.ToString());
            }
        }

        return totals;
    }

    private static decimal Quantity(string text) =>
        global::DevPlatform.Abstractions.ResourceQuantity.TryParse(text, out var quantity) ? quantity.Value : throw new FormatException($"not a quantity: {text}");

    /// <summary>Under the lock: a new resourceVersion, remembered for watches from older versions.</summary>
    private void Publish(string type, Entry entry)
    {
        resourceVersion++;
        entry.Item["metadata"]!["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture);
        var change = new Change(resourceVersion, type, entry.Collection, entry.Namespace, entry.Item.DeepClone().AsObject());
        history.Add(change);
        foreach (var watcher in watchers)
        {
            watcher.Writer.TryWrite(change);
        }
    }

    private static bool Matches(Change change, string collection, string? ns, IQueryCollection query) =>
        change.Collection == collection && (ns is null || change.Namespace == ns) && Selected(change.Item, query);

    /// <summary>Equality-based label selectors (k=v, k!=v, k, !k) and metadata.name / metadata.namespace field selectors.</summary>
    private static bool Selected(JsonObject item, IQueryCollection query)
    {
        var labels = item["metadata"]?["labels"] as JsonObject;
        foreach (var term in (query["labelSelector"].ToString()).Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var ok = term switch
            {
                _ when term.Contains("!=", StringComparison.Ordinal) => (string?)labels?[term.Split("!=")[0]] != term.Split("!=")[1],
                _ when term.Contains('=', StringComparison.Ordinal) => (string?)labels?[term.Split('=')[0]] == term.Split('=')[1],
                _ when term.StartsWith('!') => labels?.ContainsKey(term[1..]) != true,
                _ => labels?.ContainsKey(term) == true,
            };
            if (!ok)
            {
                return false;
            }
        }

        foreach (var term in query["fieldSelector"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var (field, value) = (term.Split('=')[0], term.Split('=')[1]);
            var actual = field switch
            {
                "metadata.name" => (string?)item["metadata"]?["name"],
                "metadata.namespace" => (string?)item["metadata"]?["namespace"],
                "involvedObject.name" => (string?)item["involvedObject"]?["name"],
                _ => throw new InvalidOperationException($"field selector {field} is not supported by the fake"),
            };
            if (actual != value)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Separates field path segments: label and annotation keys contain dots and slashes.</summary>
    private const char Sep = '\u001f';

    private static string Display(string path) => path.Replace(Sep, '.');

    private static void Leaves(JsonNode? node, string path, Dictionary<string, JsonNode?> into)
    {
        if (node is JsonObject obj && obj.Count > 0)
        {
            foreach (var (name, child) in obj)
            {
                Leaves(child, $"{path}{Sep}{name}", into);
            }
        }
        else
        {
            into[path] = node; // scalars, lists (atomic here) and empty objects
        }
    }

    private static JsonNode? At(JsonObject root, string path)
    {
        JsonNode? node = root;
        foreach (var part in path.TrimStart(Sep).Split(Sep))
        {
            node = (node as JsonObject)?[part];
        }

        return node;
    }

    private static void Set(JsonObject root, string path, JsonNode? value)
    {
        var parts = path.TrimStart(Sep).Split(Sep);
        var node = root;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject child)
            {
                child = [];
                node[part] = child;
            }

            node = child;
        }

        node[parts[^1]] = value;
    }

    private static void Remove(JsonObject root, string path)
    {
        var parts = path.TrimStart(Sep).Split(Sep);
        if (At(root, string.Join(Sep, parts[..^1])) is JsonObject parent)
        {
            parent.Remove(parts[^1]);
        }
    }

    private static JsonNode Without(JsonNode item, params string[] metadataFields)
    {
        var copy = item.DeepClone();
        foreach (var field in metadataFields)
        {
            (copy["metadata"] as JsonObject)?.Remove(field);
        }

        return copy;
    }

    private static JsonObject StatusBody(int code, string reason, string message) => new()
    {
        ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Failure", ["message"] = message, ["reason"] = reason, ["code"] = code,
    };

    private static Task StatusAsync(HttpResponse response, int code, string reason, string message) => WriteStatusAsync(response, StatusBody(code, reason, message));

    private static async Task WriteStatusAsync(HttpResponse response, JsonObject status)
    {
        response.StatusCode = (int)status["code"]!;
        await response.WriteAsJsonAsync(status);
    }

    private static async Task WriteFrameAsync(HttpResponse response, string type, JsonObject item)
    {
        await response.WriteAsync(new JsonObject { ["type"] = type, ["object"] = item.DeepClone() }.ToJsonString() + "\n");
        await response.Body.FlushAsync();
    }
}
