using System.Globalization;
using System.Text.Json.Nodes;
using DevPlatform.Kubernetes.Compute;

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

    public static IReadOnlyList<JsonObject> All(ServiceWorkload service, string ns, KubernetesOptions options)
    {
        var objects = new List<JsonObject>();
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

    public static JsonObject Deployment(ServiceWorkload service, string ns, KubernetesOptions options)
    {
        var placeholders = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["{port}"] = service.Port.ToString(CultureInfo.InvariantCulture), ["{ip}"] = "0.0.0.0", ["{data}"] = service.DataPath, ["{home}"] = service.DataPath,
            ["{base_url}"] = $"/services/{service.Name}/",
        };
        string Fill(string value) => placeholders.Aggregate(value, (v, p) => v.Replace(p.Key, p.Value, StringComparison.Ordinal));
        var env = new JsonArray();
        foreach (var (name, value) in service.Environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            env.Add(new JsonObject { ["name"] = name, ["value"] = Fill(value) });
        }

        foreach (var name in service.Secrets.Keys.Order(StringComparer.Ordinal))
        {
            env.Add(new JsonObject { ["name"] = name, ["valueFrom"] = new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = NameOf(service), ["key"] = name } } });
        }

        var container = new JsonObject
        {
            ["name"] = "service",
            ["image"] = service.Image,
            ["command"] = new JsonArray(service.Command.Select(c => (JsonNode)Fill(c)).ToArray()),
            ["env"] = env,
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["containerPort"] = service.Port, ["protocol"] = "TCP" }),
            ["resources"] = new JsonObject
            {
                ["requests"] = new JsonObject { ["cpu"] = WorkloadObjects.Cpu(service.Resources.CpuRequest), ["memory"] = service.Resources.MemoryRequest.ToString(CultureInfo.InvariantCulture) },
                ["limits"] = new JsonObject { ["cpu"] = WorkloadObjects.Cpu(service.Resources.CpuLimit), ["memory"] = service.Resources.MemoryLimit.ToString(CultureInfo.InvariantCulture) },
            },
            ["readinessProbe"] = new JsonObject { ["tcpSocket"] = new JsonObject { ["port"] = service.Port }, ["periodSeconds"] = 5 },
            ["securityContext"] = new JsonObject
            {
                ["allowPrivilegeEscalation"] = false, ["capabilities"] = new JsonObject { ["drop"] = new JsonArray("ALL") },
            },
        };
        var pod = new JsonObject
        {
            ["securityContext"] = new JsonObject
            {
                ["runAsNonRoot"] = true, ["runAsUser"] = options.RunAsUser, ["runAsGroup"] = options.FsGroup, ["fsGroup"] = options.FsGroup,
                ["seccompProfile"] = new JsonObject { ["type"] = "RuntimeDefault" },
            },
            ["automountServiceAccountToken"] = false,
            ["nodeSelector"] = new JsonObject { [WorkloadObjects.PoolLabel] = service.Pool },
            ["tolerations"] = new JsonArray(new JsonObject { ["key"] = WorkloadObjects.PoolLabel, ["operator"] = "Equal", ["value"] = service.Pool, ["effect"] = "NoSchedule" }),
            ["containers"] = new JsonArray(container),
        };
        if (service.VolumeSize is not null)
        {
            container["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "data", ["mountPath"] = service.DataPath });
            pod["volumes"] = new JsonArray(new JsonObject { ["name"] = "data", ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = DataClaimOf(service) } });
        }

        return Object("apps/v1", "Deployment", NameOf(service), ns, service, new JsonObject
        {
            ["replicas"] = 1,
            ["strategy"] = new JsonObject { ["type"] = "Recreate" },
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { [ServiceIdLabel] = service.Id.ToString() } },
            ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = Labels(service) }, ["spec"] = pod },
        });
    }

    public static JsonObject Service(ServiceWorkload service, string ns) => Object("v1", "Service", NameOf(service), ns, service, new JsonObject
    {
        ["type"] = "ClusterIP",
        ["selector"] = new JsonObject { [ServiceIdLabel] = service.Id.ToString() },
        ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = service.Port, ["targetPort"] = service.Port, ["protocol"] = "TCP" }),
    });

    public static JsonObject Secret(ServiceWorkload service, string ns)
    {
        var data = new JsonObject();
        foreach (var (name, value) in service.Secrets.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            data[name] = value;
        }

        var secret = Object("v1", "Secret", NameOf(service), ns, service, null);
        secret["type"] = "Opaque";
        secret["stringData"] = data;
        return secret;
    }

    public static JsonObject DataClaim(ServiceWorkload service, string ns, KubernetesOptions options)
    {
        var spec = new JsonObject
        {
            ["accessModes"] = new JsonArray("ReadWriteOnce"),
            ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = service.VolumeSize } },
        };
        if (!string.IsNullOrEmpty(options.HomeStorageClass))
        {
            spec["storageClassName"] = options.HomeStorageClass;
        }

        return Object("v1", "PersistentVolumeClaim", DataClaimOf(service), ns, service, spec);
    }

    public static JsonObject NetworkPolicy(ServiceWorkload service, string ns, KubernetesOptions options)
    {
        var hub = options.HubPodLabel.Split('=', 2);
        var from = new JsonArray(new JsonObject
        {
            ["namespaceSelector"] = new JsonObject(),
            ["podSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { [hub[0]] = hub.Length > 1 ? hub[1] : "" } },
        });
        if (service.AllowedGroups.Count > 0)
        {
            from.Add(new JsonObject
            {
                ["namespaceSelector"] = new JsonObject(),
                ["podSelector"] = new JsonObject
                {
                    ["matchExpressions"] = new JsonArray(new JsonObject
                    {
                        ["key"] = GroupLabel, ["operator"] = "In", ["values"] = new JsonArray(service.AllowedGroups.Select(g => (JsonNode)g).ToArray()),
                    }),
                },
            });
        }

        return Object("networking.k8s.io/v1", "NetworkPolicy", NameOf(service), ns, service, new JsonObject
        {
            ["podSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { [ServiceIdLabel] = service.Id.ToString() } },
            ["policyTypes"] = new JsonArray("Ingress"),
            ["ingress"] = new JsonArray(new JsonObject
            {
                ["from"] = from,
                ["ports"] = new JsonArray(new JsonObject { ["port"] = service.Port, ["protocol"] = "TCP" }),
            }),
        });
    }

    private static JsonObject Labels(ServiceWorkload service) => new()
    {
        [WorkloadObjects.ManagedBy] = WorkloadObjects.ManagerName, [ServiceLabel] = service.Name, [ServiceIdLabel] = service.Id.ToString(),
        ["devplatform.io/pool"] = service.Pool,
    };

    private static JsonObject Object(string apiVersion, string kind, string name, string ns, ServiceWorkload service, JsonObject? spec)
    {
        var item = new JsonObject
        {
            ["apiVersion"] = apiVersion, ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = Labels(service) },
        };
        if (spec is not null)
        {
            item["spec"] = spec;
        }

        return item;
    }
}
