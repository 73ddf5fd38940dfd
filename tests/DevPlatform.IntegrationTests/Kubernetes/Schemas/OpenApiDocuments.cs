using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DevPlatform.Abstractions;

namespace DevPlatform.IntegrationTests.Kubernetes.Schemas;

/// <summary>
/// Validates objects against a folder of the official Kubernetes OpenAPI v3 documents and the upstream CRDs (laid out
/// as <c>../shared/k8s-openapi/</c> is), as an API server with strict field validation would: unknown fields,
/// wrong types, missing required fields, malformed quantities, and the CRDs' enum/pattern/length/range rules.
/// </summary>
public sealed class OpenApiDocuments : SchemaValidator
{
    private readonly Dictionary<string, JsonObject> components = new(StringComparer.Ordinal);
    private readonly Dictionary<(string ApiVersion, string Kind), JsonObject> kinds = [];

    public OpenApiDocuments(string root)
    {
        foreach (var file in Directory.GetFiles(Path.Combine(root, "v3"), "*.json"))
        {
            var schemas = JsonNode.Parse(File.ReadAllText(file))!["components"]!["schemas"]!.AsObject();
            foreach (var (name, schema) in schemas)
            {
                components[name] = schema!.AsObject();
                foreach (var gvk in (schema["x-kubernetes-group-version-kind"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    var group = (string?)gvk["group"];
                    kinds.TryAdd((string.IsNullOrEmpty(group) ? (string)gvk["version"]! : $"{group}/{(string)gvk["version"]!}", (string)gvk["kind"]!), schema.AsObject());
                }
            }
        }

        foreach (var file in Directory.GetFiles(Path.Combine(root, "crds"), "*.yaml"))
        {
            var crd = YamlJson.Parse(File.ReadAllText(file))!;
            foreach (var version in crd["spec"]!["versions"]!.AsArray())
            {
                var schema = version!["schema"]!["openAPIV3Schema"]!.AsObject();
                kinds[($"{(string)crd["spec"]!["group"]!}/{(string)version["name"]!}", (string)crd["spec"]!["names"]!["kind"]!)] = schema;
            }
        }
    }

    public override IReadOnlyList<string> Validate(JsonNode node)
    {
        var apiVersion = (string?)node["apiVersion"];
        var kind = (string?)node["kind"];
        if (apiVersion is null || kind is null)
        {
            return ["apiVersion and kind are required"];
        }

        if (!kinds.TryGetValue((apiVersion, kind), out var schema))
        {
            return [$"no schema for {apiVersion} {kind}"];
        }

        var errors = new List<string>();
        Check(node, schema, "", errors);
        if (node["metadata"] is { } metadata)
        {
            Check(metadata, components["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"], ".metadata", errors); // CRDs declare metadata as a bare object
        }
        else
        {
            errors.Add(".metadata: required");
        }

        return errors;
    }

    private JsonObject Resolve(JsonObject schema)
    {
        while (schema["$ref"] is JsonValue reference)
        {
            schema = components[((string)reference!)["#/components/schemas/".Length..]];
        }

        return schema;
    }

    private void Check(JsonNode? value, JsonObject schema, string path, List<string> errors)
    {
        var reference = (string?)schema["$ref"];
        schema = Resolve(schema);
        foreach (var part in (schema["allOf"] as JsonArray ?? []).OfType<JsonObject>())
        {
            Check(value, part, path, errors);
        }

        if (value is null)
        {
            if ((bool?)schema["nullable"] != true && (schema["type"] is not null || schema["properties"] is not null))
            {
                errors.Add($"{Display(path)}: null is not allowed");
            }

            return;
        }

        if (schema["oneOf"] is JsonArray choices && !choices.OfType<JsonObject>().Any(c => Fits(value, c)))
        {
            errors.Add($"{Display(path)}: {Describe(value)} matches none of the allowed shapes");
        }

        if (reference?.EndsWith("api.resource.Quantity", StringComparison.Ordinal) == true && value.GetValueKind() == JsonValueKind.String && !ResourceQuantity.TryParse((string)value!, out _))
        {
            errors.Add($"{Display(path)}: '{value}' is not a quantity");
        }

        if ((bool?)schema["x-kubernetes-int-or-string"] == true)
        {
            if (value.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Number))
            {
                errors.Add($"{Display(path)}: must be an integer or a string");
            }

            return;
        }

        var type = (string?)schema["type"];
        if (type is not null && !HasType(value, type))
        {
            errors.Add($"{Display(path)}: expected {type}, got {Describe(value)}");
            return;
        }

        CheckConstraints(value, schema, path, errors);
        switch (value)
        {
            case JsonObject obj:
                CheckObject(obj, schema, path, errors);
                break;
            case JsonArray array when schema["items"] is JsonObject items:
                for (var i = 0; i < array.Count; i++)
                {
                    Check(array[i], items, $"{path}[{i}]", errors);
                }

                break;
        }
    }

    private void CheckObject(JsonObject obj, JsonObject schema, string path, List<string> errors)
    {
        var properties = schema["properties"] as JsonObject;
        foreach (var required in (schema["required"] as JsonArray ?? []).Select(r => (string)r!))
        {
            if (!obj.ContainsKey(required))
            {
                errors.Add($"{path}.{required}: required");
            }
        }

        var preserve = (bool?)schema["x-kubernetes-preserve-unknown-fields"] == true;
        foreach (var (name, child) in obj)
        {
            if (properties?[name] is JsonObject property)
            {
                Check(child, property, $"{path}.{name}", errors);
            }
            else if (schema["additionalProperties"] is JsonObject additional)
            {
                Check(child, additional, $"{path}.{name}", errors);
            }
            else if (!preserve && (properties is not null || schema["additionalProperties"] is JsonValue { } no && !(bool)no!))
            {
                errors.Add($"{path}.{name}: unknown field");
            }
        }
    }

    private static void CheckConstraints(JsonNode value, JsonObject schema, string path, List<string> errors)
    {
        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            errors.Add($"{Display(path)}: {Describe(value)} is not one of {allowed.ToJsonString()}");
        }

        if (value.GetValueKind() == JsonValueKind.String)
        {
            var text = (string)value!;
            if (schema["pattern"] is JsonValue pattern && !Regex.IsMatch(text, (string)pattern!, RegexOptions.None, TimeSpan.FromSeconds(1)))
            {
                errors.Add($"{Display(path)}: '{text}' does not match {pattern}");
            }

            if (Number(schema, "maxLength") is { } max && text.Length > max)
            {
                errors.Add($"{Display(path)}: longer than {max}");
            }

            if (Number(schema, "minLength") is { } min && text.Length < min)
            {
                errors.Add($"{Display(path)}: shorter than {min}");
            }
        }

        if (value is JsonArray array)
        {
            if (Number(schema, "maxItems") is { } max && array.Count > max)
            {
                errors.Add($"{Display(path)}: more than {max} items");
            }

            if (Number(schema, "minItems") is { } min && array.Count < min)
            {
                errors.Add($"{Display(path)}: fewer than {min} items");
            }
        }

        if (value.GetValueKind() == JsonValueKind.Number)
        {
            var number = double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
            if (Number(schema, "minimum") is { } min && number < min)
            {
                errors.Add($"{Display(path)}: below the minimum {min}");
            }

            if (Number(schema, "maximum") is { } max && number > max)
            {
                errors.Add($"{Display(path)}: above the maximum {max}");
            }
        }
    }

    /// <summary>Schema numbers arrive as long (YAML) or double (JSON).</summary>
    private static double? Number(JsonObject schema, string name) => schema[name] is JsonValue value ? double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) : null;

    private bool Fits(JsonNode value, JsonObject choice)
    {
        var errors = new List<string>();
        Check(value, choice, "", errors);
        return errors.Count == 0;
    }

    private static bool HasType(JsonNode value, string type) => (type, value.GetValueKind()) switch
    {
        ("object", JsonValueKind.Object) or ("array", JsonValueKind.Array) or ("string", JsonValueKind.String) => true,
        ("boolean", JsonValueKind.True or JsonValueKind.False) or ("number", JsonValueKind.Number) => true,
        ("integer", JsonValueKind.Number) => long.TryParse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture, out _),
        _ => false,
    };

    private static string Describe(JsonNode value) => value.GetValueKind().ToString().ToLowerInvariant() + " " + value.ToJsonString();

    private static string Display(string path) => path.Length == 0 ? "(root)" : path;
}
