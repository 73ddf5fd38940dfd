using System.Globalization;
using DevPlatform.Abstractions;
using k8s.Models;
using ResourceQuantity = k8s.Models.ResourceQuantity;

namespace DevPlatform.Kubernetes.Compute;

/// <summary>
/// The objects one environment needs: its Pod (hardened: non-root, no privilege escalation, all capabilities
/// dropped, seccomp RuntimeDefault; placed on its pool's Karpenter nodes with the accelerator kind's resources,
/// tolerations, and node labels only when a kind asks for them), a ClusterIP Service, a NetworkPolicy that lets only the hub in, and the
/// user's home claim. All carry the cost-allocation labels (user, group, profile, pool).
/// </summary>
public static class WorkloadObjects
{
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string ManagerName = "devplatform";
    public const string EnvironmentIdLabel = "devplatform.io/environment-id";
    public const string ContainerName = "environment";
    /// <summary>The cost label saying how the pool's nodes are bought (<c>spot</c> or <c>on-demand</c>).</summary>
    public const string CapacityTypeLabel = "devplatform.io/capacity-type";
    /// <summary>The pool taint pods tolerate is the one the rendered NodePools put on their nodes.</summary>
    public const string PoolLabel = Cluster.ClusterManifests.PoolLabel;

    public static string NameOf(Guid id) => $"dp-{id:N}";

    public static string HomeClaimOf(string user) => $"home-{user}";

    public static V1Pod Pod(EnvironmentSpec spec, KubernetesOptions options)
    {
        var placement = spec.Placement ?? AcceleratorPlacement.None;
        var placeholders = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["{port}"] = options.Port.ToString(CultureInfo.InvariantCulture), ["{ip}"] = "0.0.0.0", ["{home}"] = options.HomePath,
            ["{base_url}"] = spec.BaseUrl, ["{token}"] = spec.Environment.GetValueOrDefault("JUPYTERHUB_API_TOKEN") ?? "",
        };
        var requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(Cpu(spec.Resources.CpuRequest)), ["memory"] = new(spec.Resources.MemoryRequest.ToString(CultureInfo.InvariantCulture)) };
        var limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(Cpu(spec.Resources.CpuLimit)), ["memory"] = new(spec.Resources.MemoryLimit.ToString(CultureInfo.InvariantCulture)) };
        foreach (var (resource, count) in placement.Resources)
        {
            requests[resource] = new ResourceQuantity(count);
            limits[resource] = new ResourceQuantity(count);
        }

        var tolerations = new List<V1Toleration> { new() { Key = PoolLabel, OperatorProperty = "Equal", Value = spec.Pool, Effect = "NoSchedule" } };
        tolerations.AddRange(placement.Tolerations.Select(t => new V1Toleration { Key = t.Key, OperatorProperty = t.Operator, Value = t.Value, Effect = t.Effect }));
        var environment = spec.Environment.Concat(placement.Environment).GroupBy(e => e.Key).Select(g => g.Last())
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => new V1EnvVar { Name = e.Key, Value = Fill(e.Value, placeholders) }).ToList();
        var podSpec = new V1PodSpec
        {
            RestartPolicy = "Never",
            AutomountServiceAccountToken = false,
            EnableServiceLinks = false,
            NodeSelector = placement.NodeSelector.Count == 0 ? null : placement.NodeSelector.ToDictionary(),
            Affinity = Affinity(spec),
            Tolerations = tolerations,
            SecurityContext = PodSecurity(options),
            Containers =
            [
                new V1Container
                {
                    Name = ContainerName, Image = spec.Image, ImagePullPolicy = "IfNotPresent",
                    Command = WithBundles(spec, spec.Command.Select(c => Fill(c, placeholders))).ToList(),
                    Env = environment,
                    Ports = [new V1ContainerPort { Name = "http", ContainerPort = options.Port }],
                    Resources = new V1ResourceRequirements { Requests = requests, Limits = limits },
                    WorkingDir = options.HomePath,
                    VolumeMounts = VolumeMounts(spec, options),
                    SecurityContext = ContainerSecurity(),
                },
            ],
            Volumes = [new V1Volume { Name = "home", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = UsesEfs(options) ? StorageClaim : HomeClaimOf(spec.User) } }],
            PriorityClassName = string.IsNullOrEmpty(options.PriorityClassName) ? null : options.PriorityClassName,
        };
        return new V1Pod
        {
            ApiVersion = V1Pod.KubeApiVersion, Kind = V1Pod.KubeKind,
            Metadata = Metadata(NameOf(spec.Id), spec, new Dictionary<string, string> { ["karpenter.sh/do-not-disrupt"] = "true" }),
            Spec = podSpec,
        };
    }

    /// <summary>Non-root with the configured UID/GID, seccomp RuntimeDefault: what PodSecurity "restricted" admits.</summary>
    public static V1PodSecurityContext PodSecurity(KubernetesOptions options) => new()
    {
        RunAsNonRoot = true, RunAsUser = options.RunAsUser, RunAsGroup = options.FsGroup, FsGroup = options.FsGroup,
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };

    public static V1SecurityContext ContainerSecurity() => new()
    {
        AllowPrivilegeEscalation = false, Privileged = false, Capabilities = new V1Capabilities { Drop = ["ALL"] },
    };

    /// <summary>
    /// Required: a node of the environment's own NodePool, bought the way its pool is priced (spot or on-demand), so
    /// the cost we meter is the cost incurred. Preferred: a node that already runs environments, so they pack
    /// and Karpenter can consolidate empty nodes away.
    /// </summary>
    public static V1Affinity Affinity(EnvironmentSpec spec)
    {
        var required = new List<V1NodeSelectorRequirement> { Requirement("karpenter.sh/nodepool", spec.Pool) };
        if (spec.Labels.GetValueOrDefault(CapacityTypeLabel) is { } capacityType)
        {
            required.Add(Requirement("karpenter.sh/capacity-type", capacityType));
        }

        return new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector { NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = required }] },
            },
            PodAffinity = new V1PodAffinity
            {
                PreferredDuringSchedulingIgnoredDuringExecution =
                [
                    new V1WeightedPodAffinityTerm
                    {
                        Weight = 100,
                        PodAffinityTerm = new V1PodAffinityTerm
                        {
                            LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [ManagedBy] = ManagerName } },
                            TopologyKey = "kubernetes.io/hostname",
                        },
                    },
                ],
            },
        };

        static V1NodeSelectorRequirement Requirement(string key, string value) => new() { Key = key, OperatorProperty = "In", Values = [value] };
    }

    public static V1Service Service(EnvironmentSpec spec, KubernetesOptions options) => new()
    {
        ApiVersion = V1Service.KubeApiVersion, Kind = V1Service.KubeKind,
        Metadata = Metadata(NameOf(spec.Id), spec),
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            Selector = new Dictionary<string, string> { [EnvironmentIdLabel] = spec.Id.ToString() },
            Ports = [new V1ServicePort { Name = "http", Port = options.Port, TargetPort = options.Port, Protocol = "TCP" }],
        },
    };

    public static V1NetworkPolicy NetworkPolicy(EnvironmentSpec spec, KubernetesOptions options) => new()
    {
        ApiVersion = "networking.k8s.io/v1", Kind = V1NetworkPolicy.KubeKind,
        Metadata = Metadata(NameOf(spec.Id), spec),
        Spec = new V1NetworkPolicySpec
        {
            PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [EnvironmentIdLabel] = spec.Id.ToString() } },
            PolicyTypes = ["Ingress"],
            Ingress = [new V1NetworkPolicyIngressRule { FromProperty = [HubPeer(options)], Ports = [new V1NetworkPolicyPort { Port = options.Port, Protocol = "TCP" }] }],
        },
    };

    /// <summary>Pods labelled <see cref="KubernetesOptions.HubPodLabel"/> in any namespace: the hub's proxy.</summary>
    public static V1NetworkPolicyPeer HubPeer(KubernetesOptions options)
    {
        var hub = options.HubPodLabel.Split('=', 2);
        return new V1NetworkPolicyPeer
        {
            NamespaceSelector = new V1LabelSelector(),
            PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [hub[0]] = hub.Length > 1 ? hub[1] : "" } },
        };
    }

    /// <summary>The claim every environment of a namespace mounts sub-paths of, when storage is on EFS.</summary>
    public const string StorageClaim = "devplatform-storage";

    public static bool UsesEfs(KubernetesOptions options) => !string.IsNullOrEmpty(options.EfsFileSystemId);

    /// <summary>
    /// The home at <see cref="KubernetesOptions.HomePath"/>; on EFS also the group's folders under it, each a sub-path of
    /// the one file system (<see cref="StorageArea.RelativePath"/>), read-only where the mount says so.
    /// </summary>
    public static List<V1VolumeMount> VolumeMounts(EnvironmentSpec spec, KubernetesOptions options)
    {
        if (!UsesEfs(options))
        {
            return [new V1VolumeMount { Name = "home", MountPath = options.HomePath }];
        }

        var mounts = new List<V1VolumeMount> { new() { Name = "home", MountPath = options.HomePath, SubPath = StorageArea.Home(spec.User).RelativePath } };
        mounts.AddRange((spec.Mounts ?? []).Select(m => new V1VolumeMount { Name = "home", MountPath = $"{options.HomePath}/{m.Path}", SubPath = m.Area.RelativePath, ReadOnlyProperty = m.ReadOnly }));
        return mounts;
    }

    /// <summary>
    /// The EFS file system as a statically provisioned PersistentVolume for one namespace (EFS CSI driver, TLS in
    /// transit, kept when released) and the claim bound to it. EFS ignores the capacity; Kubernetes requires one.
    /// </summary>
    public static (V1PersistentVolume Volume, V1PersistentVolumeClaim Claim) EfsStorage(string ns, KubernetesOptions options)
    {
        var name = $"{StorageClaim}-{ns}";
        var volume = new V1PersistentVolume
        {
            ApiVersion = V1PersistentVolume.KubeApiVersion, Kind = V1PersistentVolume.KubeKind,
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { [ManagedBy] = ManagerName } },
            Spec = new V1PersistentVolumeSpec
            {
                Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Pi") },
                AccessModes = ["ReadWriteMany"],
                PersistentVolumeReclaimPolicy = "Retain",
                StorageClassName = "",
                MountOptions = ["tls"],
                ClaimRef = new V1ObjectReference { NamespaceProperty = ns, Name = StorageClaim },
                Csi = new V1CSIPersistentVolumeSource { Driver = "efs.csi.aws.com", VolumeHandle = options.EfsFileSystemId },
            },
        };
        var claim = new V1PersistentVolumeClaim
        {
            ApiVersion = V1PersistentVolumeClaim.KubeApiVersion, Kind = V1PersistentVolumeClaim.KubeKind,
            Metadata = new V1ObjectMeta { Name = StorageClaim, Labels = new Dictionary<string, string> { [ManagedBy] = ManagerName } },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteMany"],
                StorageClassName = "",
                VolumeName = name,
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Pi") } },
            },
        };
        return (volume, claim);
    }

    /// <summary>The user's home: outlives every environment; never deleted by stop.</summary>
    public static V1PersistentVolumeClaim HomeClaim(EnvironmentSpec spec, KubernetesOptions options) => new()
    {
        ApiVersion = V1PersistentVolumeClaim.KubeApiVersion, Kind = V1PersistentVolumeClaim.KubeKind,
        Metadata = new V1ObjectMeta
        {
            Name = HomeClaimOf(spec.User),
            Labels = new Dictionary<string, string> { [ManagedBy] = ManagerName, ["devplatform.io/user"] = spec.User },
        },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"],
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(options.HomeSize) } },
            StorageClassName = string.IsNullOrEmpty(options.HomeStorageClass) ? null : options.HomeStorageClass,
        },
    };

    private static V1ObjectMeta Metadata(string name, EnvironmentSpec spec, Dictionary<string, string>? annotations = null)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { [ManagedBy] = ManagerName, [EnvironmentIdLabel] = spec.Id.ToString() };
        foreach (var (key, value) in spec.Labels)
        {
            labels[key] = value;
        }

        return new V1ObjectMeta { Name = name, Labels = labels, Annotations = annotations };
    }

    /// <summary>
    /// With package bundles, the container first installs them (each bundle's <see cref="PackageInstall.Command"/>, in
    /// the container itself so conda reaches the image's environment and pip --user the home), then execs the
    /// workload: <c>/bin/sh -c 'set -e; …; exec "$@"' devplatform-bundles &lt;command…&gt;</c>. Output is in the pod's log.
    /// </summary>
    public static IEnumerable<string> WithBundles(EnvironmentSpec spec, IEnumerable<string> command)
    {
        if (spec.Packages.Count == 0)
        {
            return command;
        }

        var script = new System.Text.StringBuilder("set -e\n");
        foreach (var bundle in spec.Packages)
        {
            script.Append("echo ").Append(Quote($"{InstallingBundle} '{bundle.Bundle}' ({bundle.Manager}): {string.Join(' ', bundle.Packages)}")).Append('\n');
            script.AppendJoin(' ', bundle.Command().Select(Quote)).Append('\n');
        }

        script.Append("echo ").Append(Quote(BundlesInstalled)).Append('\n');
        script.Append("exec \"$@\"\n");
        return new[] { "/bin/sh", "-c", script.ToString(), "devplatform-bundles" }.Concat(command);
    }

    /// <summary>The line the container prints once every bundle is installed, just before the workload starts.</summary>
    public const string BundlesInstalled = "devplatform: bundles installed";

    /// <summary>The line the container prints before installing each bundle.</summary>
    public const string InstallingBundle = "devplatform: installing bundle";

    private static string Quote(string argument) => $"'{argument.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    public static string Cpu(decimal cores) => $"{(long)Math.Ceiling(cores * 1000)}m";

    private static string Fill(string value, Dictionary<string, string> placeholders) =>
        placeholders.Aggregate(value, (current, p) => current.Replace(p.Key, p.Value, StringComparison.Ordinal));
}
