using System.Text.Json;
using System.Text.Json.Nodes;

namespace DevPlatform.IntegrationTests.Hub;

/// <summary>
/// Compares two hubs' answers to one call: the same keys at every level, the same JSON types, and the same values —
/// except for fields that differ between any two runs (times, ids, secrets, addresses), where only the type is compared
/// and null on one side is allowed. Each difference is one line: <c>{label} {path}: {what}</c>.
/// </summary>
public static class HubAnswers
{
    private static readonly HashSet<string> Volatile = new(StringComparer.Ordinal)
    {
        "created", "last_activity", "started", "expires_at", "token", "id", "session_id", "target", "python", "sys_executable", "class",
        "url", "progress_url", "html_message",
    };

    public static void Compare(string label, JsonNode? ours, JsonNode? theirs, string path, List<string> differences)
    {
        if (path.EndsWith(".scopes", StringComparison.Ordinal) || path.EndsWith(".message", StringComparison.Ordinal))
        {
            (ours, theirs) = (InSetOrder(ours), InSetOrder(theirs));
        }

        var (kindOurs, kindTheirs) = (Kind(ours), Kind(theirs));
        if (kindOurs != kindTheirs)
        {
            differences.Add($"{label} {path}: {Describe(ours)} here, {Describe(theirs)} in JupyterHub");
            return;
        }

        switch (ours)
        {
            case JsonObject mine:
                var other = (JsonObject)theirs!;
                var missing = other.Select(p => p.Key).Where(k => !mine.ContainsKey(k)).ToList();
                var extra = mine.Select(p => p.Key).Where(k => !other.ContainsKey(k)).ToList();
                if (missing.Count > 0 || extra.Count > 0)
                {
                    differences.Add($"{label} {path}: keys missing [{string.Join(", ", missing)}], extra [{string.Join(", ", extra)}]");
                }

                foreach (var (key, value) in mine.Where(p => other.ContainsKey(p.Key)))
                {
                    var child = $"{path}.{key}";
                    if (Volatile.Contains(key) || (key == "version" && path != "$"))
                    {
                        if (value is not null && other[key] is not null && Kind(value) != Kind(other[key]))
                        {
                            differences.Add($"{label} {child}: {Describe(value)} here, {Describe(other[key])} in JupyterHub");
                        }

                        continue;
                    }

                    Compare(label, value, other[key], child, differences);
                }

                break;
            case JsonArray list:
                var their = (JsonArray)theirs!;
                if (list.Count != their.Count)
                {
                    differences.Add($"{label} {path}: {list.Count} items here, {their.Count} in JupyterHub");
                }

                for (var i = 0; i < Math.Min(list.Count, their.Count); i++)
                {
                    Compare(label, list[i], their[i], $"{path}[{i}]", differences);
                }

                break;
            case JsonValue:
                if (!JsonNode.DeepEquals(ours, theirs))
                {
                    differences.Add($"{label} {path}: {ours!.ToJsonString()} here, {theirs!.ToJsonString()} in JupyterHub");
                }

                break;
        }
    }

    /// <summary>
    /// Scopes in a fixed order: JupyterHub keeps them in Python sets, whose order changes from run to run (string hashing
    /// is randomised), in lists and in the "Not assigning requested scopes a,b,c" message alike.
    /// </summary>
    private static JsonNode? InSetOrder(JsonNode? node)
    {
        const string excess = "Not assigning requested scopes ";
        if (node is JsonArray list && list.All(n => n?.GetValueKind() == JsonValueKind.String))
        {
            return new JsonArray(list.Select(n => n!.GetValue<string>()).Order(StringComparer.Ordinal).Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
        }

        if (node?.GetValueKind() == JsonValueKind.String && node.GetValue<string>() is { } text && text.StartsWith(excess, StringComparison.Ordinal))
        {
            var end = text.IndexOf(" not held by ", StringComparison.Ordinal);
            var scopes = text[excess.Length..end].Split(',').Order(StringComparer.Ordinal);
            return JsonValue.Create(excess + string.Join(',', scopes) + text[end..]);
        }

        return node;
    }

    private static JsonValueKind Kind(JsonNode? node) => node?.GetValueKind() switch
    {
        null => JsonValueKind.Null,
        JsonValueKind.False => JsonValueKind.True,
        var kind => kind.Value,
    };

    private static string Describe(JsonNode? node) => node is null ? "null" : $"{node.GetValueKind().ToString().ToLowerInvariant()} {Truncate(node.ToJsonString())}";

    private static string Truncate(string text) => text.Length > 80 ? text[..80] + "…" : text;
}
