using System.Text.Json;
using System.Text.Json.Serialization;

namespace DevPlatform.Kubernetes.Client;

/// <summary>The API's JSON: camelCase fields, absent rather than null.</summary>
public static class KubernetesJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
