using System.Globalization;
using k8s.Models;

namespace DevPlatform.Kubernetes.Compute;

/// <summary>
/// With <c>Kubernetes:NamespacePerGroup</c>, each group's environments run in their own namespace whose
/// ResourceQuota mirrors the group policy's compute quotas (CPU and memory requests; accelerators: each extended resource
/// capped at the group's count, which the platform's launch check counts together) and whose LimitRange gives
/// containers defaults. Storage is not a cluster quota: a group's <c>storageQuota</c> limits the bytes its folders use
/// (the platform scans them and refuses launches over it), which claim sizes cannot express — on EFS a claim's size
/// means nothing, and per-user home claims would make the quota a count of homes.
/// </summary>
public static class GroupNamespace
{
    public const string ObjectName = "devplatform";

    public static string NameOf(string group, KubernetesOptions options) => $"{options.NamespacePrefix}{group}";

    public static V1Namespace Namespace(string group, KubernetesOptions options) => new()
    {
        ApiVersion = V1Namespace.KubeApiVersion, Kind = V1Namespace.KubeKind,
        Metadata = new V1ObjectMeta
        {
            Name = NameOf(group, options),
            Labels = new Dictionary<string, string>
            {
                [WorkloadObjects.ManagedBy] = WorkloadObjects.ManagerName, ["devplatform.io/group"] = group,
                ["pod-security.kubernetes.io/enforce"] = "restricted",
            },
        },
    };

    public static V1ResourceQuota ResourceQuota(string group, GroupQuota quota, KubernetesOptions options)
    {
        var hard = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        if (quota.Cpu is not null)
        {
            hard["requests.cpu"] = new ResourceQuantity(quota.Cpu);
        }

        if (quota.Memory is not null)
        {
            hard["requests.memory"] = new ResourceQuantity(quota.Memory);
        }

        if (quota.Accelerators is { } accelerators)
        {
            foreach (var resource in quota.AcceleratorResources ?? [])
            {
                hard[$"requests.{resource}"] = new ResourceQuantity(accelerators.ToString(CultureInfo.InvariantCulture));
            }
        }

        return new V1ResourceQuota
        {
            ApiVersion = V1ResourceQuota.KubeApiVersion, Kind = V1ResourceQuota.KubeKind,
            Metadata = Metadata(group, options), Spec = new V1ResourceQuotaSpec { Hard = hard },
        };
    }

    public static V1LimitRange LimitRange(string group, KubernetesOptions options) => new()
    {
        ApiVersion = V1LimitRange.KubeApiVersion, Kind = V1LimitRange.KubeKind,
        Metadata = Metadata(group, options),
        Spec = new V1LimitRangeSpec
        {
            Limits =
        [
            new V1LimitRangeItem
            {
                Type = "Container",
                DefaultProperty = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("2Gi") },
                DefaultRequest = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("256Mi") },
            },
        ],
        },
    };

    private static V1ObjectMeta Metadata(string group, KubernetesOptions options) => new()
    {
        Name = ObjectName, NamespaceProperty = NameOf(group, options),
        Labels = new Dictionary<string, string> { [WorkloadObjects.ManagedBy] = WorkloadObjects.ManagerName, ["devplatform.io/group"] = group },
    };
}
