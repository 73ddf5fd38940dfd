using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DevPlatform.Catalog.File;

/// <summary>
/// Reads YAML into JSON (YAML 1.2 core schema: plain true/false/null/numbers are typed, quoted scalars
/// are strings), remembering where in the file each path (<c>profiles[2].sizes[0]</c>) starts.
/// </summary>
internal static partial class YamlToJson
{
    [GeneratedRegex(@"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Number();

    public static (JsonNode? Root, Dictionary<string, Mark> Marks) Convert(TextReader reader)
    {
        var stream = new YamlStream();
        stream.Load(reader);
        var marks = new Dictionary<string, Mark>(StringComparer.Ordinal);
        var root = stream.Documents.Count == 0 ? null : ToNode(stream.Documents[0].RootNode, string.Empty, marks);
        return (root, marks);
    }

    private static JsonNode? ToNode(YamlNode node, string path, Dictionary<string, Mark> marks)
    {
        marks[path] = node.Start;
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (key, value) in map.Children)
                {
                    var name = ((YamlScalarNode)key).Value ?? string.Empty;
                    obj[name] = ToNode(value, path.Length == 0 ? name : $"{path}.{name}", marks);
                }

                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    array.Add(ToNode(sequence.Children[i], $"{path}[{i}]", marks));
                }

                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new YamlException(node.Start, node.End, "unsupported YAML node");
        }
    }

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when Number().IsMatch(text) && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
            _ => JsonValue.Create(text),
        };
    }
}
