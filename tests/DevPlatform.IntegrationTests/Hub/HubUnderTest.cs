using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace DevPlatform.IntegrationTests.Hub;

/// <summary>One hub under test: where it is, its admin token, and what earlier calls saved.</summary>
public sealed class HubUnderTest(string name, Uri address, string adminToken) : IDisposable
{
    private readonly HttpClient client = new() { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };

    public string Name { get; } = name;

    public Dictionary<string, string> Saved { get; } = new(StringComparer.Ordinal);

    public async Task<(int Status, JsonNode? Body, string Text)> SendAsync(HubCall call)
    {
        var path = Saved.Aggregate(call.Path, (p, s) => p.Replace($"{{{s.Key}}}", s.Value, StringComparison.Ordinal));
        using var request = new HttpRequestMessage(new HttpMethod(call.Method), "/hub/api" + path);
        var token = call.As switch
        {
            "admin" => adminToken,
            "none" => null,
            "bad" => "0123456789abcdef0123456789abcdef",
            _ => Saved[call.As],
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(call.Scheme, token);
        }

        if (call.Paginated)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/jupyterhub-pagination+json"));
        }

        if (call.Body is not null)
        {
            request.Content = new StringContent(call.Body, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? body = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/json" && text.Length > 0)
        {
            body = JsonNode.Parse(text);
        }
        else if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            var events = EventsOf(text);
            body = call.LastEvent && events.Count > 0 ? events[^1]!.DeepClone() : events;
        }

        foreach (var save in call.Save ?? [])
        {
            var (alias, field) = (save.Split('=')[0], save.Split('=')[1]);
            Saved[alias] = body?[field]?.GetValue<string>() ?? throw new InvalidOperationException($"{Name}: {call.Label} answered no '{field}': {text}");
        }

        return ((int)response.StatusCode, body, text);
    }

    /// <summary>The JSON data of each event in a server-sent event stream's text, in order.</summary>
    public static JsonArray EventsOf(string stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new JsonArray(stream.Split("\n\n").Where(e => e.StartsWith("data: ", StringComparison.Ordinal)).Select(e => JsonNode.Parse(e["data: ".Length..])).ToArray());
    }

    public void Dispose() => client.Dispose();
}
