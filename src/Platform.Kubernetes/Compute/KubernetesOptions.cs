namespace DevPlatform.Kubernetes.Compute;

/// <summary>Configuration section <c>Kubernetes</c>: how the kubernetes compute backend reaches its cluster and shapes each environment.</summary>
public sealed class KubernetesOptions
{
    public const string Section = "Kubernetes";

    /// <summary>A kubeconfig file; empty = in-cluster service account when running in a pod, else $KUBECONFIG or ~/.kube/config.</summary>
    public string? KubeConfig { get; set; }

    /// <summary>The kubeconfig context; empty = its current-context.</summary>
    public string? Context { get; set; }

    /// <summary>Where environments run; empty = the context's (or service account's) namespace.</summary>
    public string? Namespace { get; set; }

    /// <summary>Each group's environments in their own namespace (<see cref="NamespacePrefix"/> + group) with a ResourceQuota and LimitRange from its policy.</summary>
    public bool NamespacePerGroup { get; set; }

    public string NamespacePrefix { get; set; } = "dp-";

    /// <summary>The port every workload listens on inside its pod.</summary>
    public int Port { get; set; } = 8888;

    /// <summary>Where the home claim is mounted.</summary>
    public string HomePath { get; set; } = "/home/jovyan";

    public string HomeSize { get; set; } = "10Gi";

    /// <summary>Empty = the cluster's default StorageClass.</summary>
    public string? HomeStorageClass { get; set; }

    /// <summary>
    /// An Amazon EFS file system id (<c>fs-0123…</c>): homes and group folders are sub-paths of it (the layout the
    /// storage provider uses), mounted through the EFS CSI driver — one PersistentVolume and claim per namespace — instead
    /// of a claim per user. Empty: a ReadWriteOnce claim per home and no group folders.
    /// </summary>
    public string? EfsFileSystemId { get; set; }

    /// <summary>UID/GID environments run as (never root).</summary>
    public long RunAsUser { get; set; } = 1000;

    public long FsGroup { get; set; } = 100;

    public string? PriorityClassName { get; set; }

    /// <summary>Pods carrying this label may reach environments (the hub's proxy); nothing else may, other environments included.</summary>
    public string HubPodLabel { get; set; } = "app.kubernetes.io/name=devplatform";
}
