using System.Text.Json;
using System.Text.Json.Nodes;

namespace DevPlatform.Catalog;

/// <summary>
/// JSON with object keys sorted at every depth. PostgreSQL's jsonb reorders keys, so configuration is
/// compared and audited in this form; otherwise re-applying an identical catalog would look like a change.
/// </summary>
internal static class CanonicalJson
{
    public static JsonElement Normalize(JsonElement element) =>
        JsonSerializer.SerializeToElement(Sort(JsonNode.Parse(element.GetRawText())));

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Normalize(document.RootElement);
    }

    private static JsonNode? Sort(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sort(p.Value?.DeepClone())))),
        JsonArray a => new JsonArray(a.Select(item => Sort(item?.DeepClone())).ToArray()),
        _ => node?.DeepClone(),
    };
}
