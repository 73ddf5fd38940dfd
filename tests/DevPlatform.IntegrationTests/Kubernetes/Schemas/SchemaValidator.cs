using System.Text.Json;
using System.Text.Json.Nodes;

namespace DevPlatform.IntegrationTests.Kubernetes.Schemas;

/// <summary>Checks a Kubernetes object as an API server with strict field validation would.</summary>
public abstract class SchemaValidator
{
    /// <summary>Every problem with the object, as "path: problem"; empty when a strict API server would accept it.</summary>
    public abstract IReadOnlyList<string> Validate(JsonNode node);

    /// <summary>A typed object of the official client, as it sends it (its JSON).</summary>
    public void AssertValid(k8s.IKubernetesObject item) => AssertValid(Json(item));

    public static JsonNode Json(object item) => JsonNode.Parse(k8s.KubernetesJson.Serialize(item))!;

    public void AssertValid(JsonNode node)
    {
        var errors = Validate(node);
        Assert.True(errors.Count == 0, $"{node["kind"]} {node["metadata"]?["name"]} is not valid:\n  {string.Join("\n  ", errors)}\n{node.ToJsonString(new JsonSerializerOptions { WriteIndented = true })}");
    }
}
