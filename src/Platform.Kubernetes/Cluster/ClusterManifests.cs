using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DevPlatform.Abstractions;
using YamlDotNet.Serialization;

namespace DevPlatform.Kubernetes.Cluster;

/// <summary>
/// Renders, for the configured pools, a Karpenter <c>EC2NodeClass</c> and <c>NodePool</c> each (requirements
/// from the accelerator kind plus capacity type; the pool's own taint and label so only its environments land
/// there; per-pool limits; consolidation when empty or underused; expireAfter), and the device plugin
/// configuration the kinds ask for (ConfigMaps of the same name are merged key by key).
/// </summary>
public static class ClusterManifests
{
    public const string PoolLabel = "devplatform.io/pool";

    public static IReadOnlyList<JsonObject> Render(IReadOnlyList<RenderPool> pools, ClusterSettings settings)
    {
        var objects = new List<JsonObject>();
        var configMaps = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var pool in pools.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            objects.Add(NodeClass(pool, settings));
            objects.Add(NodePool(pool, settings));
            foreach (var manifest in pool.Nodes.DeviceManifests)
            {
                var key = $"{manifest["kind"]}/{manifest["metadata"]?["namespace"]}/{manifest["metadata"]?["name"]}";
                if (configMaps.TryGetValue(key, out var existing) && existing["data"] is JsonObject data && manifest["data"] is JsonObject more)
                {
                    foreach (var (name, value) in more)
                    {
                        data[name] = value?.DeepClone();
                    }
                }
                else
                {
                    configMaps[key] = manifest.DeepClone().AsObject();
                }
            }
        }

        objects.AddRange(configMaps.Values);
        return objects;
    }

    /// <summary>The objects as one YAML stream a person can <c>kubectl apply -f</c>.</summary>
    public static string ToYaml(IEnumerable<JsonObject> objects)
    {
        var serializer = new SerializerBuilder().WithQuotingNecessaryStrings().DisableAliases().Build();
        return string.Join("---\n", objects.Select(o => serializer.Serialize(Plain(o))));
    }

    private static JsonObject NodeClass(RenderPool pool, ClusterSettings settings)
    {
        var discovery = new JsonObject { ["karpenter.sh/discovery"] = settings.ClusterName };
        return new JsonObject
        {
            ["apiVersion"] = "karpenter.k8s.aws/v1", ["kind"] = "EC2NodeClass",
            ["metadata"] = new JsonObject { ["name"] = pool.Name, ["labels"] = new JsonObject { [PoolLabel] = pool.Name } },
            ["spec"] = new JsonObject
            {
                ["role"] = settings.NodeRole,
                ["amiSelectorTerms"] = new JsonArray(new JsonObject { ["alias"] = settings.AmiAlias }),
                ["subnetSelectorTerms"] = new JsonArray(new JsonObject { ["tags"] = discovery.DeepClone() }),
                ["securityGroupSelectorTerms"] = new JsonArray(new JsonObject { ["tags"] = discovery.DeepClone() }),
                ["metadataOptions"] = new JsonObject { ["httpTokens"] = "required", ["httpPutResponseHopLimit"] = 1 },
                ["blockDeviceMappings"] = new JsonArray(new JsonObject
                {
                    ["deviceName"] = "/dev/xvda", ["rootVolume"] = true,
                    ["ebs"] = new JsonObject { ["volumeSize"] = $"{settings.RootVolumeGi}Gi", ["volumeType"] = "gp3", ["encrypted"] = true, ["deleteOnTermination"] = true },
                }),
                ["tags"] = new JsonObject { [PoolLabel] = pool.Name, ["karpenter.sh/discovery"] = settings.ClusterName },
            },
        };
    }

    private static JsonObject NodePool(RenderPool pool, ClusterSettings settings)
    {
        var requirements = new List<NodeRequirement>
        {
            new("karpenter.sh/capacity-type", "In", pool.CapacityTypes),
            new("kubernetes.io/os", "In", ["linux"]),
            new("kubernetes.io/arch", "In", ["amd64"]),
        };
        requirements.AddRange(pool.Nodes.Requirements);
        var taints = new List<NodeTaint> { new(PoolLabel, pool.Name, "NoSchedule") };
        taints.AddRange(pool.Nodes.Taints);
        var labels = new JsonObject { [PoolLabel] = pool.Name };
        foreach (var (key, value) in pool.Nodes.Labels)
        {
            labels[key] = value;
        }

        var spec = new JsonObject
        {
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = labels },
                ["spec"] = new JsonObject
                {
                    ["nodeClassRef"] = new JsonObject { ["group"] = "karpenter.k8s.aws", ["kind"] = "EC2NodeClass", ["name"] = pool.Name },
                    ["requirements"] = new JsonArray(requirements.Select(r => (JsonNode)Requirement(r)).ToArray()),
                    ["taints"] = new JsonArray(taints.Select(t => (JsonNode)Taint(t)).ToArray()),
                    ["expireAfter"] = settings.ExpireAfter,
                },
            },
            ["disruption"] = new JsonObject { ["consolidationPolicy"] = "WhenEmptyOrUnderutilized", ["consolidateAfter"] = settings.ConsolidateAfter },
        };
        if (pool.Nodes.Limits.Count > 0)
        {
            spec["limits"] = new JsonObject(pool.Nodes.Limits.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value)));
        }

        return new JsonObject
        {
            ["apiVersion"] = "karpenter.sh/v1", ["kind"] = "NodePool",
            ["metadata"] = new JsonObject { ["name"] = pool.Name, ["labels"] = new JsonObject { [PoolLabel] = pool.Name } },
            ["spec"] = spec,
        };
    }

    private static JsonObject Requirement(NodeRequirement requirement)
    {
        var node = new JsonObject { ["key"] = requirement.Key, ["operator"] = requirement.Operator };
        if (requirement.Values.Count > 0)
        {
            node["values"] = new JsonArray(requirement.Values.Select(v => (JsonNode)v).ToArray());
        }

        return node;
    }

    private static JsonObject Taint(NodeTaint taint)
    {
        var node = new JsonObject { ["key"] = taint.Key, ["effect"] = taint.Effect };
        if (taint.Value is not null)
        {
            node["value"] = taint.Value;
        }

        return node;
    }

    private static object? Plain(JsonNode? node) => node switch
    {
        JsonObject o => o.ToDictionary(p => p.Key, p => Plain(p.Value)),
        JsonArray a => a.Select(Plain).ToList(),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ when long.TryParse(v.ToJsonString(), CultureInfo.InvariantCulture, out var whole) => whole,
            _ => double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture),
        },
        _ => null,
    };
}
