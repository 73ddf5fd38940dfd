using System.Globalization;
using System.Text.Json.Nodes;
using DevPlatform.Abstractions;

namespace DevPlatform.Kubernetes.Compute;

/// <summary>
/// The objects one environment needs: its Pod (hardened: non-root, no privilege escalation, all capabilities
/// dropped, seccomp RuntimeDefault; placed on its pool's Karpenter nodes with the accelerator kind's resources,
/// tolerations and node labels), a ClusterIP Service, a NetworkPolicy that lets only the hub in, and the
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

    public static JsonObject Pod(EnvironmentSpec spec, KubernetesOptions options)
    {
        var placement = spec.Placement ?? AcceleratorPlacement.None;
        var placeholders = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["{port}"] = options.Port.ToString(CultureInfo.InvariantCulture), ["{ip}"] = "0.0.0.0", ["{home}"] = options.HomePath,
            ["{base_url}"] = spec.BaseUrl, ["{token}"] = spec.Environment.GetValueOrDefault("JUPYTERHUB_API_TOKEN") ?? "",
        };
        var requests = new JsonObject { ["cpu"] = Cpu(spec.Resources.CpuRequest), ["memory"] = spec.Resources.MemoryRequest.ToString(CultureInfo.InvariantCulture) };
        var limits = new JsonObject { ["cpu"] = Cpu(spec.Resources.CpuLimit), ["memory"] = spec.Resources.MemoryLimit.ToString(CultureInfo.InvariantCulture) };
        foreach (var (resource, count) in placement.Resources)
        {
            requests[resource] = count;
            limits[resource] = count;
        }

        var nodeSelector = new JsonObject();
        foreach (var (key, value) in placement.NodeSelector)
        {
            nodeSelector[key] = value;
        }

        var tolerations = new JsonArray(new JsonObject { ["key"] = PoolLabel, ["operator"] = "Equal", ["value"] = spec.Pool, ["effect"] = "NoSchedule" });
        foreach (var toleration in placement.Tolerations)
        {
            var item = new JsonObject { ["key"] = toleration.Key, ["operator"] = toleration.Operator, ["effect"] = toleration.Effect };
            if (toleration.Value is not null)
            {
                item["value"] = toleration.Value;
            }

            tolerations.Add(item);
        }

        var environment = spec.Environment.Concat(placement.Environment).GroupBy(e => e.Key).Select(g => g.Last())
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => (JsonNode)new JsonObject { ["name"] = e.Key, ["value"] = Fill(e.Value, placeholders) }).ToArray();
        var podSpec = new JsonObject
        {
            ["restartPolicy"] = "Never",
            ["automountServiceAccountToken"] = false,
            ["enableServiceLinks"] = false,
            ["nodeSelector"] = nodeSelector,
            ["affinity"] = Affinity(spec),
            ["tolerations"] = tolerations,
            ["securityContext"] = new JsonObject
            {
                ["runAsNonRoot"] = true, ["runAsUser"] = options.RunAsUser, ["runAsGroup"] = options.FsGroup, ["fsGroup"] = options.FsGroup,
                ["seccompProfile"] = new JsonObject { ["type"] = "RuntimeDefault" },
            },
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = ContainerName, ["image"] = spec.Image, ["imagePullPolicy"] = "IfNotPresent",
                ["command"] = new JsonArray(WithBundles(spec, spec.Command.Select(c => Fill(c, placeholders))).Select(c => (JsonNode)c).ToArray()),
                ["env"] = new JsonArray(environment),
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["containerPort"] = options.Port }),
                ["resources"] = new JsonObject { ["requests"] = requests, ["limits"] = limits },
                ["workingDir"] = options.HomePath,
                ["volumeMounts"] = VolumeMounts(spec, options),
                ["securityContext"] = new JsonObject
                {
                    ["allowPrivilegeEscalation"] = false, ["privileged"] = false,
                    ["capabilities"] = new JsonObject { ["drop"] = new JsonArray("ALL") },
                },
            }),
            ["volumes"] = new JsonArray(new JsonObject
            {
                ["name"] = "home", ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = UsesEfs(options) ? StorageClaim : HomeClaimOf(spec.User) },
            }),
        };
        if (!string.IsNullOrEmpty(options.PriorityClassName))
        {
            podSpec["priorityClassName"] = options.PriorityClassName;
        }

        return Object("v1", "Pod", NameOf(spec.Id), spec, podSpec, new JsonObject { ["karpenter.sh/do-not-disrupt"] = "true" });
    }

    /// <summary>
    /// Required: a node of the environment's own NodePool, bought the way its pool is priced (spot or on-demand), so
    /// the cost we meter is the cost incurred. Preferred: a node that already runs environments, so they pack
    /// and Karpenter can consolidate empty nodes away.
    /// </summary>
    public static JsonObject Affinity(EnvironmentSpec spec)
    {
        var required = new JsonArray(Expression("karpenter.sh/nodepool", spec.Pool));
        if (spec.Labels.GetValueOrDefault(CapacityTypeLabel) is { } capacityType)
        {
            required.Add(Expression("karpenter.sh/capacity-type", capacityType));
        }

        return new JsonObject
        {
            ["nodeAffinity"] = new JsonObject
            {
                ["requiredDuringSchedulingIgnoredDuringExecution"] = new JsonObject
                {
                    ["nodeSelectorTerms"] = new JsonArray(new JsonObject { ["matchExpressions"] = required }),
                },
            },
            ["podAffinity"] = new JsonObject
            {
                ["preferredDuringSchedulingIgnoredDuringExecution"] = new JsonArray(new JsonObject
                {
                    ["weight"] = 100,
                    ["podAffinityTerm"] = new JsonObject
                    {
                        ["labelSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { [ManagedBy] = ManagerName } },
                        ["topologyKey"] = "kubernetes.io/hostname",
                    },
                }),
            },
        };

        static JsonObject Expression(string key, string value) => new() { ["key"] = key, ["operator"] = "In", ["values"] = new JsonArray(value) };
    }

    public static JsonObject Service(EnvironmentSpec spec, KubernetesOptions options) => Object("v1", "Service", NameOf(spec.Id), spec, new JsonObject
    {
        ["type"] = "ClusterIP",
        ["selector"] = new JsonObject { [EnvironmentIdLabel] = spec.Id.ToString() },
        ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = options.Port, ["targetPort"] = options.Port, ["protocol"] = "TCP" }),
    });

    public static JsonObject NetworkPolicy(EnvironmentSpec spec, KubernetesOptions options)
    {
        var hub = options.HubPodLabel.Split('=', 2);
        return Object("networking.k8s.io/v1", "NetworkPolicy", NameOf(spec.Id), spec, new JsonObject
        {
            ["podSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { [EnvironmentIdLabel] = spec.Id.ToString() } },
            ["policyTypes"] = new JsonArray("Ingress"),
            ["ingress"] = new JsonArray(new JsonObject
            {
                ["from"] = new JsonArray(new JsonObject
                {
                    ["namespaceSelector"] = new JsonObject(),
                    ["podSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { [hub[0]] = hub.Length > 1 ? hub[1] : "" } },
                }),
                ["ports"] = new JsonArray(new JsonObject { ["port"] = options.Port, ["protocol"] = "TCP" }),
            }),
        });
    }

    /// <summary>The claim every environment of a namespace mounts sub-paths of, when storage is on EFS.</summary>
    public const string StorageClaim = "devplatform-storage";

    public static bool UsesEfs(KubernetesOptions options) => !string.IsNullOrEmpty(options.EfsFileSystemId);

    /// <summary>
    /// The home at <see cref="KubernetesOptions.HomePath"/>; on EFS also the group's folders under it, each a sub-path of
    /// the one file system (<see cref="StorageArea.RelativePath"/>), read-only where the mount says so.
    /// </summary>
    public static JsonArray VolumeMounts(EnvironmentSpec spec, KubernetesOptions options)
    {
        if (!UsesEfs(options))
        {
            return new JsonArray(new JsonObject { ["name"] = "home", ["mountPath"] = options.HomePath });
        }

        var mounts = new JsonArray(new JsonObject { ["name"] = "home", ["mountPath"] = options.HomePath, ["subPath"] = StorageArea.Home(spec.User).RelativePath });
        foreach (var mount in spec.Mounts ?? [])
        {
            mounts.Add(new JsonObject
            {
                ["name"] = "home", ["mountPath"] = $"{options.HomePath}/{mount.Path}", ["subPath"] = mount.Area.RelativePath, ["readOnly"] = mount.ReadOnly,
            });
        }

        return mounts;
    }

    /// <summary>
    /// The EFS file system as a statically provisioned PersistentVolume for one namespace (EFS CSI driver, TLS in
    /// transit, kept when released) and the claim bound to it. EFS ignores the capacity; Kubernetes requires one.
    /// </summary>
    public static (JsonObject Volume, JsonObject Claim) EfsStorage(string ns, KubernetesOptions options)
    {
        var name = $"{StorageClaim}-{ns}";
        var labels = new JsonObject { [ManagedBy] = ManagerName };
        var volume = new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "PersistentVolume",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels.DeepClone() },
            ["spec"] = new JsonObject
            {
                ["capacity"] = new JsonObject { ["storage"] = "1Pi" },
                ["accessModes"] = new JsonArray("ReadWriteMany"),
                ["persistentVolumeReclaimPolicy"] = "Retain",
                ["storageClassName"] = "",
                ["mountOptions"] = new JsonArray("tls"),
                ["claimRef"] = new JsonObject { ["namespace"] = ns, ["name"] = StorageClaim },
                ["csi"] = new JsonObject { ["driver"] = "efs.csi.aws.com", ["volumeHandle"] = options.EfsFileSystemId },
            },
        };
        var claim = new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "PersistentVolumeClaim",
            ["metadata"] = new JsonObject { ["name"] = StorageClaim, ["labels"] = labels.DeepClone() },
            ["spec"] = new JsonObject
            {
                ["accessModes"] = new JsonArray("ReadWriteMany"),
                ["storageClassName"] = "",
                ["volumeName"] = name,
                ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = "1Pi" } },
            },
        };
        return (volume, claim);
    }

    /// <summary>The user's home: outlives every environment; never deleted by stop.</summary>
    public static JsonObject HomeClaim(EnvironmentSpec spec, KubernetesOptions options)
    {
        var claimSpec = new JsonObject
        {
            ["accessModes"] = new JsonArray("ReadWriteOnce"),
            ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = options.HomeSize } },
        };
        if (!string.IsNullOrEmpty(options.HomeStorageClass))
        {
            claimSpec["storageClassName"] = options.HomeStorageClass;
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "PersistentVolumeClaim",
            ["metadata"] = new JsonObject
            {
                ["name"] = HomeClaimOf(spec.User),
                ["labels"] = new JsonObject { [ManagedBy] = ManagerName, ["devplatform.io/user"] = spec.User },
            },
            ["spec"] = claimSpec,
        };
    }

    private static JsonObject Object(string apiVersion, string kind, string name, EnvironmentSpec spec, JsonObject body, JsonObject? annotations = null)
    {
        var labels = new JsonObject { [ManagedBy] = ManagerName, [EnvironmentIdLabel] = spec.Id.ToString() };
        foreach (var (key, value) in spec.Labels)
        {
            labels[key] = value;
        }

        var metadata = new JsonObject { ["name"] = name, ["labels"] = labels };
        if (annotations is not null)
        {
            metadata["annotations"] = annotations;
        }

        return new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata, ["spec"] = body };
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
            script.Append("echo ").Append(Quote($"devplatform: installing bundle '{bundle.Bundle}' ({bundle.Manager}): {string.Join(' ', bundle.Packages)}")).Append('\n');
            script.AppendJoin(' ', bundle.Command().Select(Quote)).Append('\n');
        }

        script.Append("exec \"$@\"\n");
        return new[] { "/bin/sh", "-c", script.ToString(), "devplatform-bundles" }.Concat(command);
    }

    private static string Quote(string argument) => $"'{argument.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    public static string Cpu(decimal cores) => $"{(long)Math.Ceiling(cores * 1000)}m";

    private static string Fill(string value, Dictionary<string, string> placeholders) =>
        placeholders.Aggregate(value, (current, p) => current.Replace(p.Key, p.Value, StringComparison.Ordinal));
}
