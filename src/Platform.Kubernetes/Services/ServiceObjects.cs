using System.Globalization;
using DevPlatform.Kubernetes.Compute;
using k8s;
using k8s.Models;

namespace DevPlatform.Kubernetes.Services;

/// <summary>
/// The objects a shared service needs: a Deployment (one replica, recreated rather than rolled so a volume is never
/// mounted twice; hardened like environments; on its pool's nodes), a ClusterIP Service, a Secret for its secret
/// variables, a claim for its data, and a NetworkPolicy that lets in only the hub and the environments of the groups
/// allowed to use it.
/// </summary>
public static class ServiceObjects
{
    public const string ServiceLabel = "devplatform.io/service";
    public const string ServiceIdLabel = "devplatform.io/service-id";
    public const string GroupLabel = "devplatform.io/group";

    public static string NameOf(ServiceWorkload service) => $"svc-{service.Name}";

    public static string DataClaimOf(ServiceWorkload service) => $"svc-{service.Name}-data";

    /// <summary>Where the hub reaches it inside the cluster.</summary>
    public static Uri Endpoint(ServiceWorkload service, string ns) => new($"http://{NameOf(service)}.{ns}.svc:{service.Port.ToString(CultureInfo.InvariantCulture)}");

    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> All(ServiceWorkload service, string ns, KubernetesOptions options)
    {
        var objects = new List<IKubernetesObject<V1ObjectMeta>>();
        if (service.Secrets.Count > 0)
        {
            objects.Add(Secret(service, ns));
        }

        if (service.VolumeSize is not null)
        {
            objects.Add(DataClaim(service, ns, options));
        }

        objects.Add(Deployment(service, ns, options));
        objects.Add(Service(service, ns));
        objects.Add(NetworkPolicy(service, ns, options));
        return objects;
    }

    public static V1Deployment Deployment(ServiceWorkload service, string ns, KubernetesOptions options)
    {
        var placeholders = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["{port}"] = service.Port.ToString(CultureInfo.InvariantCulture), ["{ip}"] = "0.0.0.0", ["{data}"] = service.DataPath, ["{home}"] = service.DataPath,
            ["{base_url}"] = $"/services/{service.Name}/",
        };
        string Fill(string value) => placeholders.Aggregate(value, (v, p) => v.Replace(p.Key, p.Value, StringComparison.Ordinal));
        var env = service.Environment.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new V1EnvVar { Name = e.Key, Value = Fill(e.Value) }).ToList();
        env.AddRange(service.Secrets.Keys.Order(StringComparer.Ordinal)
            .Select(name => new V1EnvVar { Name = name, ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Key = name, Name = NameOf(service) } } }));
        var container = new V1Container
        {
            Name = ContainerName,
            Image = service.Image,
            Command = service.Command.Select(Fill).ToList(),
            Env = env,
            Ports = [new V1ContainerPort { Name = "http", ContainerPort = service.Port, Protocol = "TCP" }],
            Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(WorkloadObjects.Cpu(service.Resources.CpuRequest)), ["memory"] = new(service.Resources.MemoryRequest.ToString(CultureInfo.InvariantCulture)) },
                Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(WorkloadObjects.Cpu(service.Resources.CpuLimit)), ["memory"] = new(service.Resources.MemoryLimit.ToString(CultureInfo.InvariantCulture)) },
            },
            ReadinessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = service.Port }, PeriodSeconds = 5 },
            SecurityContext = new V1SecurityContext { AllowPrivilegeEscalation = false, Capabilities = new V1Capabilities { Drop = ["ALL"] } },
        };
        var pod = new V1PodSpec
        {
            SecurityContext = WorkloadObjects.PodSecurity(options),
            AutomountServiceAccountToken = false,
            NodeSelector = new Dictionary<string, string> { [WorkloadObjects.PoolLabel] = service.Pool },
            Tolerations = [new V1Toleration { Key = WorkloadObjects.PoolLabel, OperatorProperty = "Equal", Value = service.Pool, Effect = "NoSchedule" }],
            Containers = [container],
        };
        if (service.VolumeSize is not null)
        {
            container.VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = service.DataPath }];
            pod.Volumes = [new V1Volume { Name = "data", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = DataClaimOf(service) } }];
        }

        return new V1Deployment
        {
            ApiVersion = "apps/v1", Kind = V1Deployment.KubeKind, Metadata = Metadata(NameOf(service), ns, service),
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Strategy = new V1DeploymentStrategy { Type = "Recreate" },
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [ServiceIdLabel] = service.Id.ToString() } },
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = Labels(service) }, Spec = pod },
            },
        };
    }

    /// <summary>The container's name in the service's pod.</summary>
    public const string ContainerName = "service";

    public static V1Service Service(ServiceWorkload service, string ns) => new()
    {
        ApiVersion = V1Service.KubeApiVersion, Kind = V1Service.KubeKind, Metadata = Metadata(NameOf(service), ns, service),
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            Selector = new Dictionary<string, string> { [ServiceIdLabel] = service.Id.ToString() },
            Ports = [new V1ServicePort { Name = "http", Port = service.Port, TargetPort = service.Port, Protocol = "TCP" }],
        },
    };

    public static V1Secret Secret(ServiceWorkload service, string ns) => new()
    {
        ApiVersion = V1Secret.KubeApiVersion, Kind = V1Secret.KubeKind, Metadata = Metadata(NameOf(service), ns, service),
        Type = "Opaque",
        StringData = service.Secrets.OrderBy(s => s.Key, StringComparer.Ordinal).ToDictionary(s => s.Key, s => s.Value),
    };

    public static V1PersistentVolumeClaim DataClaim(ServiceWorkload service, string ns, KubernetesOptions options) => new()
    {
        ApiVersion = V1PersistentVolumeClaim.KubeApiVersion, Kind = V1PersistentVolumeClaim.KubeKind, Metadata = Metadata(DataClaimOf(service), ns, service),
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"],
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(service.VolumeSize) } },
            StorageClassName = string.IsNullOrEmpty(options.HomeStorageClass) ? null : options.HomeStorageClass,
        },
    };

    public static V1NetworkPolicy NetworkPolicy(ServiceWorkload service, string ns, KubernetesOptions options)
    {
        var from = new List<V1NetworkPolicyPeer> { WorkloadObjects.HubPeer(options) };
        if (service.AllowedGroups.Count > 0)
        {
            from.Add(new V1NetworkPolicyPeer
            {
                NamespaceSelector = new V1LabelSelector(),
                PodSelector = new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = GroupLabel, OperatorProperty = "In", Values = [.. service.AllowedGroups] }] },
            });
        }

        return new V1NetworkPolicy
        {
            ApiVersion = "networking.k8s.io/v1", Kind = V1NetworkPolicy.KubeKind, Metadata = Metadata(NameOf(service), ns, service),
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [ServiceIdLabel] = service.Id.ToString() } },
                PolicyTypes = ["Ingress"],
                Ingress = [new V1NetworkPolicyIngressRule { FromProperty = from, Ports = [new V1NetworkPolicyPort { Port = service.Port, Protocol = "TCP" }] }],
            },
        };
    }

    private static Dictionary<string, string> Labels(ServiceWorkload service) => new()
    {
        [WorkloadObjects.ManagedBy] = WorkloadObjects.ManagerName, [ServiceLabel] = service.Name, [ServiceIdLabel] = service.Id.ToString(),
        ["devplatform.io/pool"] = service.Pool,
    };

    private static V1ObjectMeta Metadata(string name, string ns, ServiceWorkload service) => new() { Name = name, NamespaceProperty = ns, Labels = Labels(service) };
}
