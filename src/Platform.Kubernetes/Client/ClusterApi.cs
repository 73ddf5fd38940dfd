using System.Runtime.CompilerServices;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace DevPlatform.Kubernetes.Client;

/// <summary>
/// Our thin layer over the official client (<see cref="IKubernetes"/>): server-side apply of typed objects with one
/// field manager, deletes that treat "already gone" as done, paged lists, a pod watch that survives dropped streams and
/// API outages, and the server's refusals as <see cref="KubernetesApiException"/>. Plugin authors can use
/// <see cref="Api"/> directly for anything else.
/// </summary>
public sealed class ClusterApi(IKubernetes api, string defaultNamespace, ILogger logger, string fieldManager = ClusterApi.DefaultFieldManager) : IDisposable
{
    public const string DefaultFieldManager = "devplatform";
    /// <summary>Objects per page of a list (the server may send fewer).</summary>
    public int PageSize { get; init; } = 500;
    private static readonly TimeSpan MaxWatchBackoff = TimeSpan.FromSeconds(10);

    /// <summary>The official client, for calls this layer does not wrap.</summary>
    public IKubernetes Api { get; } = api;

    /// <summary>The context's (or service account's) namespace.</summary>
    public string DefaultNamespace { get; } = defaultNamespace;

    /// <summary>
    /// Server-side apply (<c>application/apply-patch+yaml</c>, our field manager, force): creates the object or updates the
    /// fields we own. Namespaced objects go to <paramref name="ns"/> unless their metadata names one.
    /// </summary>
    /// <remarks>The kind is the object's runtime type, so a list of mixed objects (<see cref="IKubernetesObject{V1ObjectMeta}"/>) applies item by item.</remarks>
    public Task<T> ApplyAsync<T>(T item, string? ns, CancellationToken cancellationToken) where T : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(item);
        var name = item.Metadata.Name;
        ns = item.Metadata.NamespaceProperty ?? ns;
        var patch = new V1Patch(item, V1Patch.PatchType.ApplyPatch);
        return CallAsync(async () => (T)(object)(item switch
        {
            V1Namespace => (object)await Api.CoreV1.PatchNamespaceAsync(patch, name, fieldManager: fieldManager, force: true, cancellationToken: cancellationToken),
            V1PersistentVolume => await Api.CoreV1.PatchPersistentVolumeAsync(patch, name, fieldManager: fieldManager, force: true, cancellationToken: cancellationToken),
            V1Pod => await Api.CoreV1.PatchNamespacedPodAsync(patch, name, ns, fieldManager: fieldManager, force: true, cancellationToken: cancellationToken),
            V1Service => await Api.CoreV1.PatchNamespacedServiceAsync(patch, name, ns, fieldManager: fieldManager, force: true, cancellationToken: cancellationToken),
            V1Secret => await Api.CoreV1.PatchNamespacedSecretAsync(patch, name, ns, fieldManager: fieldManager, force: true, cancellationToken: cancellationToken),
            V1ConfigMap => await Api.CoreV1.PatchNamespacedConfigMapAsync(patch, name, ns, fieldManager: fieldManager, force: true, cancellationToken: cancellationToken),
            V1PersistentVolumeClaim => await Api.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(patch, name, ns, fieldManager: fieldManager, force: true, cancellationToken: cancellationToken),
            V1ResourceQuota => await Api.CoreV1.PatchNamespacedResourceQuotaAsync(patch, name, ns, fieldManager: fieldManager, force: true, cancellationToken: cancellationToken),
            V1LimitRange => await Api.CoreV1.PatchNamespacedLimitRangeAsync(patch, name, ns, fieldManager: fieldManager, force: true, cancellationToken: cancellationToken),
            V1NetworkPolicy => await Api.NetworkingV1.PatchNamespacedNetworkPolicyAsync(patch, name, ns, fieldManager: fieldManager, force: true, cancellationToken: cancellationToken),
            V1Deployment => await Api.AppsV1.PatchNamespacedDeploymentAsync(patch, name, ns, fieldManager: fieldManager, force: true, cancellationToken: cancellationToken),
            _ => throw new NotSupportedException($"{item.GetType().Name} is not a kind ClusterApi applies; use Api directly."),
        }));
    }

    /// <summary>Deletes a namespaced object (background propagation); false when it was already gone.</summary>
    public async Task<bool> DeleteAsync<T>(string ns, string name, CancellationToken cancellationToken) where T : IKubernetesObject<V1ObjectMeta>
    {
        var options = new V1DeleteOptions { PropagationPolicy = "Background" };
        try
        {
            await CallAsync<object>(async () => typeof(T).Name switch
            {
                nameof(V1Pod) => (object)await Api.CoreV1.DeleteNamespacedPodAsync(name, ns, options, cancellationToken: cancellationToken),
                nameof(V1Service) => await Api.CoreV1.DeleteNamespacedServiceAsync(name, ns, options, cancellationToken: cancellationToken),
                nameof(V1Secret) => await Api.CoreV1.DeleteNamespacedSecretAsync(name, ns, options, cancellationToken: cancellationToken),
                nameof(V1NetworkPolicy) => await Api.NetworkingV1.DeleteNamespacedNetworkPolicyAsync(name, ns, options, cancellationToken: cancellationToken),
                nameof(V1Deployment) => await Api.AppsV1.DeleteNamespacedDeploymentAsync(name, ns, options, cancellationToken: cancellationToken),
                _ => throw new NotSupportedException($"{typeof(T).Name} is not a kind ClusterApi deletes; use Api directly."),
            });
            return true;
        }
        catch (KubernetesApiException e) when (e.Status == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>The pod, or null when it does not exist.</summary>
    public async Task<V1Pod?> ReadPodAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync(() => Api.CoreV1.ReadNamespacedPodAsync(name, ns, cancellationToken: cancellationToken));
        }
        catch (KubernetesApiException e) when (e.Status == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The Deployment, or null when it does not exist.</summary>
    public async Task<V1Deployment?> ReadDeploymentAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync(() => Api.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: cancellationToken));
        }
        catch (KubernetesApiException e) when (e.Status == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Every pod matching, in one namespace or (null) all of them, across pages.</summary>
    public async Task<V1PodList> ListPodsAsync(string? ns, string? labelSelector, string? fieldSelector, CancellationToken cancellationToken)
    {
        var (items, metadata) = await AllPagesAsync<V1PodList, V1Pod>(next => ns is null
            ? Api.CoreV1.ListPodForAllNamespacesAsync(continueParameter: next, labelSelector: labelSelector, fieldSelector: fieldSelector, limit: PageSize, cancellationToken: cancellationToken)
            : Api.CoreV1.ListNamespacedPodAsync(ns, continueParameter: next, labelSelector: labelSelector, fieldSelector: fieldSelector, limit: PageSize, cancellationToken: cancellationToken),
            cancellationToken);
        return new V1PodList { Items = items, Metadata = metadata };
    }

    /// <summary>The metadata of every Service and NetworkPolicy matching, in one namespace or (null) all, across pages.</summary>
    public async Task<IReadOnlyList<V1ObjectMeta>> ListServicesAndPoliciesAsync(string? ns, string labelSelector, CancellationToken cancellationToken)
    {
        var services = await AllPagesAsync<V1ServiceList, V1Service>(next => ns is null
            ? Api.CoreV1.ListServiceForAllNamespacesAsync(continueParameter: next, labelSelector: labelSelector, limit: PageSize, cancellationToken: cancellationToken)
            : Api.CoreV1.ListNamespacedServiceAsync(ns, continueParameter: next, labelSelector: labelSelector, limit: PageSize, cancellationToken: cancellationToken), cancellationToken);
        var policies = await AllPagesAsync<V1NetworkPolicyList, V1NetworkPolicy>(next => ns is null
            ? Api.NetworkingV1.ListNetworkPolicyForAllNamespacesAsync(continueParameter: next, labelSelector: labelSelector, limit: PageSize, cancellationToken: cancellationToken)
            : Api.NetworkingV1.ListNamespacedNetworkPolicyAsync(ns, continueParameter: next, labelSelector: labelSelector, limit: PageSize, cancellationToken: cancellationToken), cancellationToken);
        return [.. services.Items.Select(s => s.Metadata), .. policies.Items.Select(p => p.Metadata)];
    }

    /// <summary>metrics-server's samples (metrics.k8s.io/v1beta1 PodMetrics) of the pods matching, in one namespace or (null) all.</summary>
    public async Task<IReadOnlyList<PodMetrics>> ListPodMetricsAsync(string? ns, string labelSelector, CancellationToken cancellationToken)
    {
        var list = await CallAsync(() => ns is null
            ? Api.CustomObjects.ListClusterCustomObjectAsync<PodMetricsList>("metrics.k8s.io", "v1beta1", "pods", labelSelector: labelSelector, cancellationToken: cancellationToken)
            : Api.CustomObjects.ListNamespacedCustomObjectAsync<PodMetricsList>("metrics.k8s.io", "v1beta1", ns, "pods", labelSelector: labelSelector, cancellationToken: cancellationToken));
        return [.. list.Items ?? []];
    }

    /// <summary>The events about one object (scheduler, kubelet), oldest first.</summary>
    public async Task<IReadOnlyList<Corev1Event>> EventsAboutAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var events = await CallAsync(() => Api.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: $"involvedObject.name={name}", cancellationToken: cancellationToken));
        return events.Items.ToList();
    }

    /// <summary>
    /// One pod's state as it changes: the pod as listed (null when it does not exist), then each change. A stream that
    /// ends or breaks (API server restart, network) is resumed from the last resourceVersion with back-off; a 410 Gone
    /// lists again. Only <paramref name="cancellationToken"/> (the caller's deadline) ends it.
    /// </summary>
    public async IAsyncEnumerable<(WatchEventType Type, V1Pod? Pod)> WatchPodAsync(string ns, string name, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var field = $"metadata.name={name}";
        string? resourceVersion = null;
        var failures = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (resourceVersion is null)
            {
                V1PodList? list = null;
                try
                {
                    list = await ListPodsAsync(ns, null, field, cancellationToken);
                }
                catch (Exception e) when (Transient(e) && !cancellationToken.IsCancellationRequested)
                {
                    await BackoffAsync(++failures, e, cancellationToken);
                    continue;
                }

                failures = 0;
                resourceVersion = list.Metadata?.ResourceVersion ?? "0";
                yield return (WatchEventType.Added, list.Items.FirstOrDefault());
            }

            Exception? streamError = null; // the official client hands ERROR events (410 Gone for a compacted resourceVersion) to onError
            var stream = Api.CoreV1.WatchListNamespacedPodAsync(ns, allowWatchBookmarks: true, fieldSelector: field, resourceVersion: resourceVersion,
                timeoutSeconds: 300, onError: e => streamError = e, cancellationToken: cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                while (true)
                {
                    (WatchEventType Type, V1Pod Pod) next;
                    try
                    {
                        if (!await stream.MoveNextAsync())
                        {
                            break; // the server's timeout: watch again from where we are
                        }

                        next = stream.Current;
                    }
                    catch (Exception e) when (Gone(e))
                    {
                        logger.LogInformation("The watch of pod {Namespace}/{Name} expired at {ResourceVersion}; listing again", ns, name, resourceVersion);
                        resourceVersion = null;
                        break;
                    }
                    catch (Exception e) when (Transient(e) && !cancellationToken.IsCancellationRequested)
                    {
                        await BackoffAsync(++failures, e, cancellationToken);
                        break;
                    }

                    failures = 0;
                    if (next.Type == WatchEventType.Error)
                    {
                        resourceVersion = null; // an ERROR event is the server's 410 for a compacted resourceVersion
                        break;
                    }

                    resourceVersion = next.Pod?.Metadata?.ResourceVersion ?? resourceVersion;
                    if (next.Type != WatchEventType.Bookmark)
                    {
                        yield return (next.Type, next.Pod);
                    }
                }
            }
            finally
            {
                await stream.DisposeAsync();
            }

            if (streamError is not null && Gone(streamError))
            {
                logger.LogInformation("The watch of pod {Namespace}/{Name} expired at {ResourceVersion}; listing again", ns, name, resourceVersion);
                resourceVersion = null;
            }
        }
    }

    /// <summary>
    /// The container's log: its last <paramref name="tailLines"/> lines, at most <paramref name="limitBytes"/> bytes; null when
    /// the pod does not exist, empty when it has none yet (the API answers 204 for a pod not yet on a node).
    /// </summary>
    public async Task<string?> ReadPodLogAsync(string ns, string pod, string container, int tailLines, int limitBytes, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await CallAsync(() => Api.CoreV1.ReadNamespacedPodLogAsync(pod, ns, container: container, tailLines: tailLines, limitBytes: limitBytes, cancellationToken: cancellationToken));
            using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
            return await reader.ReadToEndAsync(cancellationToken);
        }
        catch (KubernetesApiException e) when (e.Status == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Whether this client's identity may do <paramref name="verb"/> on the resource (a SelfSubjectAccessReview), and why not.</summary>
    public async Task<(bool Allowed, string? Reason)> CanIAsync(string group, string resource, string verb, CancellationToken cancellationToken)
    {
        var parts = resource.Split('/', 2);
        var review = new V1SelfSubjectAccessReview
        {
            ApiVersion = "authorization.k8s.io/v1", Kind = "SelfSubjectAccessReview",
            Spec = new V1SelfSubjectAccessReviewSpec
            {
                ResourceAttributes = new V1ResourceAttributes { Group = group, Resource = parts[0], Subresource = parts.Length > 1 ? parts[1] : null, Verb = verb },
            },
        };
        var answer = await CallAsync(() => Api.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(review, cancellationToken: cancellationToken));
        return (answer.Status?.Allowed == true, answer.Status?.Reason);
    }

    public void Dispose() => Api.Dispose();

    /// <summary>
    /// Every item across <c>limit</c>/<c>continue</c> pages (the list's own metadata is the last page's); a continue token that
    /// expires mid-way (410) starts the list again, twice at most.
    /// </summary>
    private async Task<(List<T> Items, V1ListMeta? Metadata)> AllPagesAsync<TList, T>(Func<string?, Task<TList>> page, CancellationToken cancellationToken)
        where TList : IMetadata<V1ListMeta>, IItems<T>
    {
        for (var attempt = 0; ; attempt++)
        {
            var items = new List<T>();
            string? next = null;
            try
            {
                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var current = await CallAsync(() => page(next));
                    items.AddRange(current.Items);
                    next = current.Metadata?.ContinueProperty;
                    if (string.IsNullOrEmpty(next))
                    {
                        return (items, current.Metadata);
                    }
                }
            }
            catch (KubernetesApiException e) when (e.Status == System.Net.HttpStatusCode.Gone && next is not null && attempt < 2)
            {
                logger.LogInformation("A paged list expired mid-way ({Message}); listing again", e.ServerMessage);
            }
        }
    }

    /// <summary>The server's refusal as <see cref="KubernetesApiException"/> (its Status reason, message and causes).</summary>
    private static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (HttpOperationException e)
        {
            throw KubernetesApiException.From(e);
        }
    }

    private static bool Gone(Exception e) =>
        (e is KubernetesApiException { Status: System.Net.HttpStatusCode.Gone })
        || (e is HttpOperationException { Response.StatusCode: System.Net.HttpStatusCode.Gone })
        || (e is KubernetesException { Status.Code: 410 });

    /// <summary>What a later attempt may not meet: broken streams, an unreachable or overloaded server.</summary>
    private static bool Transient(Exception e) => e switch
    {
        HttpRequestException or IOException or System.Text.Json.JsonException => true,
        KubernetesApiException k => (int)k.Status is 429 or >= 500,
        HttpOperationException h => (int)h.Response.StatusCode is 429 or >= 500,
        _ => false,
    };

    private async Task BackoffAsync(int failures, Exception e, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(Math.Min(MaxWatchBackoff.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(failures, 10) - 1)));
        logger.LogWarning("Watching a pod failed ({Message}); watching again in {Delay}", e.Message, delay);
        await Task.Delay(delay, cancellationToken);
    }
}
