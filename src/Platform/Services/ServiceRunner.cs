using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using DevPlatform.Abstractions;
using DevPlatform.Compute;
using DevPlatform.Kubernetes.Services;

namespace DevPlatform.Services;

/// <summary>
/// Runs a shared service's workload on the configured compute backend, the way environments run: a service is a
/// workload with a fixed address under <c>/services/{name}/</c>, its data in a persistent folder of its own.
/// </summary>
internal sealed class ServiceRunner(SelectedBackend backend, Kubernetes.Services.KubernetesServices cluster, Hub.HubUrls hubUrls)
{
    private bool OnCluster => backend.Backend.Name == Kubernetes.Compute.KubernetesBackend.BackendName;

    /// <summary>The service as the cluster runs it (a Deployment and a Service rather than a lone pod).</summary>
    public Kubernetes.Services.ServiceWorkload WorkloadOf(SharedService service, ServiceSpec spec, IReadOnlyDictionary<string, string> secrets)
    {
        var environment = HubVariables(spec.Name, hubUrls.ApiUrl());
        foreach (var (key, value) in spec.Environment ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        environment["DEVPLATFORM_SERVICE"] = spec.Name;
        environment["DEVPLATFORM_BASE_URL"] = BaseUrl(spec.Name);
        environment["PORT"] = "{port}";
        return new(service.Id, spec.Name, spec.Image, spec.Command, spec.Port, environment, secrets, Local(service, spec, secrets).Resources, spec.Pool, spec.VolumeSize,
            spec.DataPath, spec.AllowedGroups);
    }

    /// <summary>The service as the local backend runs it.</summary>
    public EnvironmentSpec Local(SharedService service, ServiceSpec spec, IReadOnlyDictionary<string, string> secrets) => SpecOf(service, spec, secrets, hubUrls.ApiUrl());

    public static string BaseUrl(string name) => $"/services/{name}/";

    public static string ClientId(string name) => $"service-{name}";

    public static string CallbackPath(string name) => BaseUrl(name) + "oauth_callback";

    /// <summary>What JupyterHub gives a managed service, so hub-aware services (JupyterHub's HubOAuth) sign users in through the hub.</summary>
    public static Dictionary<string, string> HubVariables(string name, string apiUrl) => new(StringComparer.Ordinal)
    {
        ["JUPYTERHUB_SERVICE_NAME"] = name, ["JUPYTERHUB_CLIENT_ID"] = ClientId(name), ["JUPYTERHUB_API_URL"] = apiUrl, ["JUPYTERHUB_BASE_URL"] = "/",
        ["JUPYTERHUB_HOST"] = "", ["JUPYTERHUB_SERVICE_PREFIX"] = BaseUrl(name), ["JUPYTERHUB_OAUTH_CALLBACK_URL"] = CallbackPath(name),
        ["JUPYTERHUB_SERVICE_URL"] = "http://{ip}:{port}" + BaseUrl(name),
    };

    /// <summary>The owner name the backend files the service's data under (<c>homes/svc--{name}</c> on local disk).</summary>
    public static string DataOwner(string name) => $"svc--{name}";

    public static EnvironmentSpec SpecOf(SharedService service, ServiceSpec spec, IReadOnlyDictionary<string, string> secrets, string hubApiUrl)
    {
        static string Fill(string value) => value.Replace("{data}", "{home}", StringComparison.Ordinal);
        var environment = HubVariables(spec.Name, hubApiUrl);
        environment["DEVPLATFORM_SERVICE"] = spec.Name;
        environment["DEVPLATFORM_BASE_URL"] = BaseUrl(spec.Name);
        environment["PORT"] = "{port}";
        foreach (var (key, value) in (spec.Environment ?? new Dictionary<string, string>()).Concat(secrets))
        {
            environment[key] = Fill(value);
        }

        var resources = new EnvironmentResources(
            ResourceQuantity.Parse(spec.CpuRequest).Value, ResourceQuantity.Parse(spec.CpuLimit).Value,
            (long)ResourceQuantity.Parse(spec.MemoryRequest).Value, (long)ResourceQuantity.Parse(spec.MemoryLimit).Value, 0);
        return new EnvironmentSpec(
            service.Id, DataOwner(spec.Name), spec.Name, "", "", spec.Pool, "cpu", spec.Image, spec.Command.Select(Fill).ToList(), environment, resources, [],
            BaseUrl(spec.Name), spec.StripPrefix,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["devplatform.io/service"] = spec.Name, ["devplatform.io/pool"] = spec.Pool });
    }

    public async Task<BackendStart> StartAsync(SharedService service, ServiceSpec spec, IReadOnlyDictionary<string, string> secrets, IProgress<string> progress, CancellationToken cancellationToken)
    {
        if (OnCluster)
        {
            var endpoint = await cluster.ApplyAsync(WorkloadOf(service, spec, secrets), cancellationToken);
            progress.Report($"Applied Deployment and Service svc-{spec.Name} in namespace {cluster.Namespace}");
            return new BackendStart(endpoint, JsonSerializer.SerializeToElement(new { kubernetes = cluster.Namespace }));
        }

        var start = await backend.Backend.StartAsync(Local(service, spec, secrets), progress, cancellationToken);
        await WaitListeningAsync(start.Endpoint, TimeSpan.FromSeconds(60), cancellationToken);
        return start;
    }

    /// <summary>
    /// Locally, whether the process lives; on the cluster, whether a replica of the Deployment is available (it restarts its
    /// own pod), and if not, why (waiting for a node, pulling, crash loop) or that it cannot start.
    /// </summary>
    public async Task<ServiceHealth> PollAsync(SharedService service, ServiceSpec spec, IReadOnlyDictionary<string, string> secrets, CancellationToken cancellationToken)
    {
        if (OnCluster)
        {
            return await cluster.StatusAsync(WorkloadOf(service, spec, secrets), cancellationToken);
        }

        var status = await backend.Backend.PollAsync(Local(service, spec, secrets), JsonDocument.Parse(service.BackendState!).RootElement, cancellationToken);
        return status.Running ? new ServiceHealth(ServiceCondition.Available, "running") : new ServiceHealth(ServiceCondition.Gone, status.Detail ?? "the process ended");
    }

    /// <summary>On the cluster a service is running once a replica is available; locally once it listens (the start waits for that).</summary>
    public bool AvailableOnStart => !OnCluster;

    public Task StopAsync(SharedService service, ServiceSpec spec, IReadOnlyDictionary<string, string> secrets, CancellationToken cancellationToken) => OnCluster
        ? cluster.DeleteAsync(WorkloadOf(service, spec, secrets), cancellationToken)
        : backend.Backend.StopAsync(Local(service, spec, secrets), JsonDocument.Parse(service.BackendState!).RootElement, cancellationToken);

    public Task<string> ReadLogsAsync(SharedService service, ServiceSpec spec, IReadOnlyDictionary<string, string> secrets, CancellationToken cancellationToken) => OnCluster
        ? cluster.ReadLogsAsync(WorkloadOf(service, spec, secrets), 64 * 1024, cancellationToken)
        : backend.Backend.ReadLogsAsync(Local(service, spec, secrets), JsonDocument.Parse(service.BackendState!).RootElement, 64 * 1024, cancellationToken);

    /// <summary>A service is up when its port accepts connections (it may answer any path with anything).</summary>
    private static async Task WaitListeningAsync(Uri endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, cancellationToken);
            }
            catch (SocketException e)
            {
                throw new BackendStartException(string.Create(CultureInfo.InvariantCulture, $"nothing listens on {endpoint.Authority} after {timeout.TotalSeconds:0} s ({e.SocketErrorCode})"));
            }
        }
    }
}
