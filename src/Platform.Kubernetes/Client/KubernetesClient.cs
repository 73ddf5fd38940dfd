using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DevPlatform.Kubernetes.Client;

/// <summary>
/// A small Kubernetes API client: server-side apply, get, list (paged), delete with propagation, and
/// watch (resource versions, bookmarks, re-list on 410 Gone). Typed for our kinds, <see cref="JsonObject"/>
/// for anything else. Failures come back as <see cref="KubernetesApiException"/> with the server's
/// Status; 429 and 5xx are retried with backoff, honouring Retry-After; a 401 refreshes the credential once.
/// </summary>
public sealed class KubernetesClient : IDisposable
{
    public const string DefaultFieldManager = "devplatform";
    private const int MaxAttempts = 6;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan WatchTimeout = TimeSpan.FromMinutes(5);
    private readonly HttpClient http;
    private readonly ClusterConnection connection;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly string fieldManager;

    public KubernetesClient(ClusterConnection connection, TimeProvider time, ILogger? logger = null, string fieldManager = DefaultFieldManager)
    {
        this.fieldManager = fieldManager;
        this.connection = connection;
        this.time = time;
        this.logger = logger ?? NullLogger.Instance;
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        handler.SslOptions.TargetHost = connection.TlsServerName;
        handler.SslOptions.RemoteCertificateValidationCallback = ValidateServer;
        if (connection.ClientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [connection.ClientCertificate];
        }

        http = new HttpClient(handler) { BaseAddress = connection.Server, Timeout = Timeout.InfiniteTimeSpan };
    }

    public string DefaultNamespace => connection.Namespace;

    /// <summary>The object, or null when it does not exist.</summary>
    public async Task<T?> GetAsync<T>(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken) where T : class
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, kind.ObjectPath(ns, name)), cancellationToken, allowNotFound: true);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<T>(response, cancellationToken);
    }

    /// <summary>Every object matching, across pages; if a continue token expires mid-way the list starts again.</summary>
    public async Task<KubernetesList<T>> ListAsync<T>(ResourceKind kind, string? ns, ListOptions options, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var items = new List<T>();
            string? next = null;
            try
            {
                do
                {
                    var query = Join(options.Query(), $"limit={options.PageSize}", next is null ? null : "continue=" + Uri.EscapeDataString(next));
                    using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"{kind.CollectionPath(ns)}?{query}"), cancellationToken);
                    var page = await ReadAsync<JsonObject>(response, cancellationToken);
                    items.AddRange((page["items"] as JsonArray ?? []).Select(i => i.Deserialize<T>(KubernetesJson.Options)!));
                    next = (string?)page["metadata"]?["continue"];
                    if (string.IsNullOrEmpty(next))
                    {
                        return new KubernetesList<T>(items, (string?)page["metadata"]?["resourceVersion"] ?? "");
                    }
                }
                while (true);
            }
            catch (KubernetesApiException e) when (e.Status == HttpStatusCode.Gone && next is not null && attempt < 2)
            {
                logger.LogInformation("List of {Kind} expired mid-way ({Message}); listing again", kind.Plural, e.ServerMessage);
            }
        }
    }

    /// <summary>
    /// Server-side apply (PATCH application/apply-patch+yaml, fieldManager=devplatform unless told otherwise): creates or updates
    /// the fields we own. With <paramref name="force"/> we take fields another manager set; without it a
    /// 409 Conflict names them.
    /// </summary>
    public async Task<T> ApplyAsync<T>(ResourceKind kind, string? ns, string name, object body, bool force, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(body, KubernetesJson.Options);
        var path = $"{kind.ObjectPath(ns, name)}?fieldManager={Uri.EscapeDataString(fieldManager)}" + (force ? "&force=true" : "");
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Patch, path)
        {
            Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/apply-patch+yaml")),
        }, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    /// <summary>Whether this client's identity may do <paramref name="verb"/> on the resource (a SelfSubjectAccessReview), and why not.</summary>
    public async Task<(bool Allowed, string? Reason)> CanIAsync(string group, string resource, string verb, CancellationToken cancellationToken)
    {
        var parts = resource.Split('/', 2);
        var attributes = new Dictionary<string, string> { ["group"] = group, ["resource"] = parts[0], ["verb"] = verb };
        if (parts.Length > 1)
        {
            attributes["subresource"] = parts[1];
        }

        var body = JsonSerializer.Serialize(new { apiVersion = "authorization.k8s.io/v1", kind = "SelfSubjectAccessReview", spec = new { resourceAttributes = attributes } });
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        }, cancellationToken);
        var review = await ReadAsync<System.Text.Json.Nodes.JsonObject>(response, cancellationToken);
        return ((bool?)review["status"]?["allowed"] == true, (string?)review["status"]?["reason"]);
    }

    /// <summary>
    /// The container's log (<c>pods/{name}/log</c>): its last <paramref name="tailLines"/> lines, at most
    /// <paramref name="limitBytes"/> bytes; null when the pod does not exist.
    /// </summary>
    public async Task<string?> ReadPodLogAsync(string ns, string pod, string container, int tailLines, int limitBytes, CancellationToken cancellationToken)
    {
        var path = $"{ResourceKind.Pods.ObjectPath(ns, pod)}/log?container={Uri.EscapeDataString(container)}&tailLines={tailLines}&limitBytes={limitBytes}";
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken, allowNotFound: true);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>Deletes the object; false when it was already gone.</summary>
    public async Task<bool> DeleteAsync(ResourceKind kind, string? ns, string name, PropagationPolicy propagation, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new { apiVersion = "v1", kind = "DeleteOptions", propagationPolicy = propagation.ToString() });
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, kind.ObjectPath(ns, name))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        }, cancellationToken, allowNotFound: true);
        return response.StatusCode != HttpStatusCode.NotFound;
    }

    /// <summary>
    /// Lists, then watches from the list's resource version for as long as the caller reads: re-watches when
    /// the server ends a stream, follows bookmarks, and on 410 Gone lists again (a <see cref="WatchEventType.Relisted"/>
    /// event, then Added for each object).
    /// </summary>
    public async IAsyncEnumerable<WatchEvent<T>> ListAndWatchAsync<T>(ResourceKind kind, string? ns, ListOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var relist = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            var list = await ListAsync<T>(kind, ns, options, cancellationToken);
            if (relist)
            {
                yield return new WatchEvent<T>(WatchEventType.Relisted, default, list.ResourceVersion);
            }

            foreach (var item in list.Items)
            {
                yield return new WatchEvent<T>(WatchEventType.Added, item, list.ResourceVersion);
            }

            var resourceVersion = list.ResourceVersion;
            while (true)
            {
                var gone = false;
                await using var events = WatchAsync<T>(kind, ns, options, resourceVersion, cancellationToken).GetAsyncEnumerator(cancellationToken);
                while (true)
                {
                    WatchEvent<T> next;
                    try
                    {
                        if (!await events.MoveNextAsync())
                        {
                            break;
                        }

                        next = events.Current;
                    }
                    catch (KubernetesApiException e) when (e.Status == HttpStatusCode.Gone)
                    {
                        logger.LogInformation("Watch of {Kind} from {ResourceVersion} expired ({Message}); listing again", kind.Plural, resourceVersion, e.ServerMessage);
                        gone = true;
                        break;
                    }

                    resourceVersion = next.ResourceVersion;
                    yield return next;
                }

                if (gone)
                {
                    relist = true;
                    break;
                }
            }
        }
    }

    /// <summary>One watch stream from <paramref name="resourceVersion"/>, with bookmarks; ends when the server closes it. 410 Gone throws.</summary>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(ResourceKind kind, string? ns, ListOptions options, string resourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seconds = (int)WatchTimeout.TotalSeconds;
        var query = Join(options.Query(), "watch=1", "allowWatchBookmarks=true", $"timeoutSeconds={seconds}", "resourceVersion=" + Uri.EscapeDataString(resourceVersion));
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"{kind.CollectionPath(ns)}?{query}"), cancellationToken, streaming: true);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var frame = JsonNode.Parse(line) as JsonObject ?? throw new InvalidDataException($"Watch of {kind.Plural} sent a frame that is not an object.");
            var type = (string?)frame["type"];
            var item = frame["object"] as JsonObject;
            if (type == "ERROR")
            {
                throw StatusException((HttpStatusCode)((int?)item?["code"] ?? 500), item);
            }

            var version = (string?)item?["metadata"]?["resourceVersion"] ?? resourceVersion;
            yield return type switch
            {
                "ADDED" => new WatchEvent<T>(WatchEventType.Added, item.Deserialize<T>(KubernetesJson.Options), version),
                "MODIFIED" => new WatchEvent<T>(WatchEventType.Modified, item.Deserialize<T>(KubernetesJson.Options), version),
                "DELETED" => new WatchEvent<T>(WatchEventType.Deleted, item.Deserialize<T>(KubernetesJson.Options), version),
                "BOOKMARK" => new WatchEvent<T>(WatchEventType.Bookmark, default, version),
                _ => throw new InvalidDataException($"Watch of {kind.Plural} sent an event of unknown type '{type}'."),
            };
        }
    }

    /// <summary>Also ends the credential source when it holds resources (an exec plugin's lock).</summary>
    public void Dispose()
    {
        http.Dispose();
        (connection.Credentials as IDisposable)?.Dispose();
    }

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken, bool allowNotFound = false, bool streaming = false)
    {
        var refreshed = false;
        for (var attempt = 1; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (!streaming)
            {
                timeout.CancelAfter(RequestTimeout);
            }

            using var message = request();
            if (connection.Credentials is not null && await connection.Credentials.GetTokenAsync(cancellationToken) is { Length: > 0 } token)
            {
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(message, streaming ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, timeout.Token);
            }
            catch (HttpRequestException e) when (attempt < MaxAttempts && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Kubernetes API {Method} {Path} failed ({Message}); retrying", message.Method, message.RequestUri, e.Message);
                await Task.Delay(Backoff(attempt, null), time, cancellationToken);
                continue;
            }

            if (response.IsSuccessStatusCode || (allowNotFound && response.StatusCode == HttpStatusCode.NotFound))
            {
                return response;
            }

            using (response)
            {
                if (response.StatusCode == HttpStatusCode.Unauthorized && connection.Credentials is not null && !refreshed)
                {
                    refreshed = true;
                    connection.Credentials.Invalidate();
                    continue;
                }

                var status = (int)response.StatusCode;
                if ((status == 429 || status >= 500) && attempt < MaxAttempts)
                {
                    var delay = Backoff(attempt, response.Headers.RetryAfter);
                    logger.LogInformation("Kubernetes API {Method} {Path} answered {Status}; retrying in {Delay}", message.Method, message.RequestUri, status, delay);
                    await Task.Delay(delay, time, cancellationToken);
                    continue;
                }

                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                JsonObject? parsed = null;
                try
                {
                    parsed = JsonNode.Parse(body) as JsonObject;
                }
                catch (JsonException)
                {
                }

                throw StatusException(response.StatusCode, parsed, body);
            }
        }
    }

    /// <summary>Retry-After when the server gives it (capped), else 250 ms doubling with jitter.</summary>
    private static TimeSpan Backoff(int attempt, RetryConditionHeaderValue? retryAfter)
    {
        if (retryAfter?.Delta is { } delta)
        {
            return delta < MaxBackoff ? delta : MaxBackoff;
        }

        var exponential = TimeSpan.FromMilliseconds(250 * Math.Pow(2, attempt - 1) * (0.8 + (0.4 * Random.Shared.NextDouble())));
        return exponential < MaxBackoff ? exponential : MaxBackoff;
    }

    private static KubernetesApiException StatusException(HttpStatusCode code, JsonObject? status, string? raw = null)
    {
        var causes = (status?["details"]?["causes"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(c => $"{(string?)c["field"]}: {(string?)c["message"]}".TrimStart(':', ' ')).ToList();
        var message = (string?)status?["message"] ?? (string.IsNullOrWhiteSpace(raw) ? code.ToString() : raw.Trim());
        return new KubernetesApiException(code, (string?)status?["reason"] ?? code.ToString(), message, causes);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync<T>(KubernetesJson.Options, cancellationToken)
        ?? throw new InvalidDataException($"The Kubernetes API answered {(int)response.StatusCode} with an empty body.");

    private static string Join(params string?[] parts) => string.Join('&', parts.Where(p => !string.IsNullOrEmpty(p)));

    private bool ValidateServer(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (connection.InsecureSkipTlsVerify)
        {
            return true;
        }

        if (connection.CaCertificates.Count == 0 || certificate is null)
        {
            return errors == SslPolicyErrors.None;
        }

        if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false; // name mismatch or no certificate
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(connection.CaCertificates);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainElements.Select(e => e.Certificate).ToArray());
        }

        return custom.Build(new X509Certificate2(certificate));
    }
}
