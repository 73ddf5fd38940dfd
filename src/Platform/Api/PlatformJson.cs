using System.Text.Json;
using System.Text.Json.Serialization;

namespace DevPlatform.Api;

/// <summary>
/// The one JSON dialect of the platform (API bodies, jsonb columns, audit records, the catalog file):
/// camelCase, enums as kebab-case strings, and strict reading: unknown fields, missing required fields
/// nulls where none is allowed and duplicate keys are errors that name the field.
/// </summary>
internal static class PlatformJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.AllowDuplicateProperties = false; // {"admin": false, "admin": true} is refused, never last-wins
        return options;
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"null is not a valid {typeof(T).Name}");
}
