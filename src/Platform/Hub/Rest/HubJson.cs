using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace DevPlatform.Hub.Rest;

/// <summary>JSON as JupyterHub writes and reads it: snake_case models, UTC times with microseconds and 'Z', bodies that may be empty.</summary>
internal static class HubJson
{
    public static string? Time(DateTimeOffset? at) =>
        at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The model written straight into the response, never built as one string first (a page of 200 users is 60 kB).</summary>
    public static IResult Write(JsonNode? model, int status = 200) => Write(writer =>
    {
        if (model is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            model.WriteTo(writer);
        }
    }, status);

    /// <summary>An answer whose JSON <paramref name="body"/> writes itself.</summary>
    public static IResult Write(Action<Utf8JsonWriter> body, int status = 200) => new JsonBody(body, status);

    /// <summary>A 2xx without a body, typed text/plain as JupyterHub's are.</summary>
    public static IResult Empty(int status) => new EmptyText(status);

    public static IResult Error(int status, string message) =>
        Write(new JsonObject { ["status"] = status, ["message"] = message }, status);

    /// <summary>The request's JSON body, or null when it has none; 400 "Invalid JSON in body of request" when it is not JSON.</summary>
    /// <summary>Bodies must be valid UTF-8: a malformed byte is a 400, never silently replaced.</summary>
    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<JsonNode?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var reader = new StreamReader(request.Body, StrictUtf8);
        string text;
        try
        {
            text = (await reader.ReadToEndAsync(cancellationToken)).Trim();
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw new HubApiException(400, "Invalid JSON in body of request");
        }

        if (text.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException)
        {
            throw new HubApiException(400, "Invalid JSON in body of request");
        }
    }

    /// <summary>The body as an object, or 400 with the message JupyterHub gives for that endpoint.</summary>
    public static JsonObject Object(JsonNode? body, string message) => body as JsonObject ?? throw new HubApiException(400, message);

    /// <summary>A list of strings under <paramref name="key"/> (absent: empty), or 400.</summary>
    public static List<string> Strings(JsonObject body, string key, string what)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!body.TryGetPropertyValue(key, out var node) || node is null)
        {
            return [];
        }

        if (node is not JsonArray array || array.Any(n => n is not JsonValue value || value.GetValueKind() != JsonValueKind.String))
        {
            throw new HubApiException(400, $"{what} must be a list of strings");
        }

        return array.Select(n => n!.GetValue<string>()).ToList();
    }

    /// <summary>JupyterHub's model check: only the known keys, each of its type (Python's names in the message).</summary>
    public static void CheckKeys(JsonObject body, string model, IReadOnlyDictionary<string, JsonValueKind> types)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(types);
        if (body.Any(p => !types.ContainsKey(p.Key)))
        {
            throw new HubApiException(400, $"Invalid JSON keys: {Repr(body)}");
        }

        foreach (var (key, value) in body)
        {
            var kind = value?.GetValueKind() ?? JsonValueKind.Null;
            var wanted = types[key];
            if (kind != wanted && !(wanted == JsonValueKind.True && kind == JsonValueKind.False))
            {
                throw new HubApiException(400, $"{model}.{key} must be {PythonType(wanted)}, not: {PythonType(kind)}");
            }
        }
    }

    /// <summary>A JSON value as Python's <c>repr</c> writes the parsed value (<c>{'bogus': 1}</c>), as JupyterHub's messages show it.</summary>
    public static string Repr(JsonNode? node) => node switch
    {
        null => "None",
        JsonObject o => "{" + string.Join(", ", o.Select(p => $"{Quote(p.Key)}: {Repr(p.Value)}")) + "}",
        JsonArray a => "[" + string.Join(", ", a.Select(Repr)) + "]",
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => Quote(node.GetValue<string>()),
            JsonValueKind.True => "True",
            JsonValueKind.False => "False",
            _ => node.ToJsonString(),
        },
    };

    private static string Quote(string text) => text.Contains('\'', StringComparison.Ordinal) && !text.Contains('"', StringComparison.Ordinal)
        ? $"\"{text.Replace("\\", "\\\\", StringComparison.Ordinal)}\""
        : $"'{text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}'";

    private static string PythonType(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "<class 'str'>",
        JsonValueKind.True or JsonValueKind.False => "<class 'bool'>",
        JsonValueKind.Array => "<class 'list'>",
        JsonValueKind.Object => "<class 'dict'>",
        JsonValueKind.Number => "<class 'int'>",
        _ => "<class 'NoneType'>",
    };

    private sealed class JsonBody(Action<Utf8JsonWriter> body, int status) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            // In pooled memory (a page of 200 users is ~40 kB), so the answer says its length as JupyterHub's do.
            await using var buffer = new FileBufferingWriteStream(memoryThreshold: 4 * 1024 * 1024);
            await using (var writer = new Utf8JsonWriter(buffer))
            {
                body(writer);
            }

            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "application/json";
            httpContext.Response.ContentLength = buffer.Length;
            await buffer.DrainBufferAsync(httpContext.Response.BodyWriter, httpContext.RequestAborted);
        }
    }

    private sealed class EmptyText(int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "text/plain";
            return Task.CompletedTask;
        }
    }
}
