using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DevPlatform.Catalog.File;

/// <summary>
/// Reads YAML into JSON (YAML 1.2 core schema: plain true/false/null/numbers are typed, quoted scalars
/// are strings), remembering where in the file each path (<c>profiles[2].sizes[0]</c>) starts. Hostile input is
/// refused before it can exhaust memory or the stack: at most <see cref="MaxChars"/> characters, nesting
/// <see cref="MaxDepth"/> deep (checked on the parser's events, before any recursive reading), and
/// <see cref="MaxNodes"/> values once aliases are expanded (a "billion laughs" file stops there).
/// </summary>
internal static partial class YamlToJson
{
    [GeneratedRegex(@"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Number();

    public const int MaxChars = 4 * 1024 * 1024, MaxDepth = 64, MaxNodes = 200_000;

    public static (JsonNode? Root, Dictionary<string, Mark> Marks) Convert(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var buffer = new char[MaxChars + 1];
        var length = reader.ReadBlock(buffer, 0, buffer.Length);
        if (length > MaxChars)
        {
            throw new YamlException(Mark.Empty, Mark.Empty, $"the file is larger than {MaxChars / (1024 * 1024)} MiB");
        }

        var text = new string(buffer, 0, length);
        CheckDepth(text);
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var marks = new Dictionary<string, Mark>(StringComparer.Ordinal);
        var budget = new int[] { MaxNodes };
        var root = stream.Documents.Count == 0 ? null : ToNode(stream.Documents[0].RootNode, string.Empty, marks, budget);
        return (root, marks);
    }

    /// <summary>Nesting depth from the parser's event stream, which reads iteratively (the node model recurses).</summary>
    private static void CheckDepth(string text)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case YamlDotNet.Core.Events.MappingStart or YamlDotNet.Core.Events.SequenceStart when ++depth > MaxDepth:
                    throw new YamlException(parser.Current.Start, parser.Current.End, $"nested more than {MaxDepth} levels deep");
                case YamlDotNet.Core.Events.MappingEnd or YamlDotNet.Core.Events.SequenceEnd:
                    depth--;
                    break;
            }
        }
    }

    private static JsonNode? ToNode(YamlNode node, string path, Dictionary<string, Mark> marks, int[] budget)
    {
        if (--budget[0] < 0)
        {
            throw new YamlException(node.Start, node.End, $"more than {MaxNodes} values once aliases are expanded (an alias bomb?)");
        }

        marks[path] = node.Start;
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (key, value) in map.Children)
                {
                    var name = ((YamlScalarNode)key).Value ?? string.Empty;
                    obj[name] = ToNode(value, path.Length == 0 ? name : $"{path}.{name}", marks, budget);
                }

                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    array.Add(ToNode(sequence.Children[i], $"{path}[{i}]", marks, budget));
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
