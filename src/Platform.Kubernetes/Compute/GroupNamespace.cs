using System.Text.Json.Nodes;

namespace DevPlatform.Kubernetes.Compute;

/// <summary>
/// With <c>Kubernetes:NamespacePerGroup</c>, each group's environments run in their own namespace whose
/// ResourceQuota mirrors the group policy (CPU and memory requests, storage, accelerators: each extended resource capped at the group's count; the platform's launch check counts them together) and whose LimitRange gives
/// containers defaults and caps a claim at the storage quota.
/// </summary>
public static class GroupNamespace
{
    public static string NameOf(string group, KubernetesOptions options) => $"{options.NamespacePrefix}{group}";

    public static JsonObject Namespace(string group, KubernetesOptions options) => new()
    {
        ["apiVersion"] = "v1", ["kind"] = "Namespace",
        ["metadata"] = new JsonObject
        {
            ["name"] = NameOf(group, options),
            ["labels"] = new JsonObject
            {
                [WorkloadObjects.ManagedBy] = WorkloadObjects.ManagerName, ["devplatform.io/group"] = group,
                ["pod-security.kubernetes.io/enforce"] = "restricted",
            },
        },
    };

    public static JsonObject ResourceQuota(string group, GroupQuota quota, KubernetesOptions options)
    {
        var hard = new JsonObject();
        if (quota.Cpu is not null)
        {
            hard["requests.cpu"] = quota.Cpu;
        }

        if (quota.Memory is not null)
        {
            hard["requests.memory"] = quota.Memory;
        }

        if (quota.Storage is not null)
        {
            hard["requests.storage"] = quota.Storage;
        }

        if (quota.Accelerators is { } accelerators)
        {
            foreach (var resource in quota.AcceleratorResources ?? [])
            {
                hard[$"requests.{resource}"] = accelerators.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return Scoped("ResourceQuota", group, options, new JsonObject { ["hard"] = hard });
    }

    public static JsonObject LimitRange(string group, GroupQuota quota, KubernetesOptions options)
    {
        var limits = new JsonArray(new JsonObject
        {
            ["type"] = "Container",
            ["default"] = new JsonObject { ["cpu"] = "1", ["memory"] = "2Gi" },
            ["defaultRequest"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "256Mi" },
        });
        if (quota.Storage is not null)
        {
            limits.Add(new JsonObject { ["type"] = "PersistentVolumeClaim", ["max"] = new JsonObject { ["storage"] = quota.Storage } });
        }

        return Scoped("LimitRange", group, options, new JsonObject { ["limits"] = limits });
    }

    private static JsonObject Scoped(string kind, string group, KubernetesOptions options, JsonObject spec) => new()
    {
        ["apiVersion"] = "v1", ["kind"] = kind,
        ["metadata"] = new JsonObject
        {
            ["name"] = "devplatform", ["namespace"] = NameOf(group, options),
            ["labels"] = new JsonObject { [WorkloadObjects.ManagedBy] = WorkloadObjects.ManagerName, ["devplatform.io/group"] = group },
        },
        ["spec"] = spec,
    };
}
