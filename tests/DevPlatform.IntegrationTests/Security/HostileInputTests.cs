using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Security;

/// <summary>Bodies a careless or hostile client sends: none, null, duplicate keys, huge, not UTF-8. Each is a 4xx, never a 500, and stores nothing.</summary>
public sealed class HostileInputTests : LiveHostTest
{
    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("/api/groups")]
    [InlineData("/api/users")]
    [InlineData("/api/pools")]
    [InlineData("/api/profiles")]
    public async Task EmptyOrNullBody_400NamingTheBody(string path)
    {
        foreach (var body in new[] { "null", "" })
        {
            var error = await ApiAssert.FieldErrorAsync(await Admin.PostAsync(new Uri(path, UriKind.Relative), Json(body)), "body");
            Assert.Contains("JSON object", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DuplicateKeys_RefusedOnBothApis_NeverLastWins()
    {
        await ApiAssert.ProblemAsync(await Admin.PutAsync(new Uri("/api/users/alice", UriKind.Relative), Json("""{"name": "alice", "admin": false, "admin": true}""")), HttpStatusCode.BadRequest);
        Assert.False((await Admin.GetFromJsonAsync<JsonElement>("/api/users/alice")).GetProperty("admin").GetBoolean());

        foreach (var path in new[] { "/hub/api/users/alice/tokens", "/hub/api/users", "/hub/api/groups" })
        {
            var response = await Admin.PostAsync(new Uri(path, UriKind.Relative), Json("""{"note": "a", "note": "b", "usernames": ["x"], "usernames": ["y"], "groups": ["g"], "groups": ["h"]}"""));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }

    [Fact]
    public async Task HugeBody_413_InvalidUtf8_400()
    {
        // As curl does for large bodies, the client asks first (Expect: 100-continue): the refusal then arrives before the
        // 2 MiB are sent, instead of racing a client still writing into a connection the server closes after its 413.
        var huge = await PostAskingFirstAsync("/hub/api/users/alice/tokens", $"{{\"note\": \"{new string('x', 2 * 1024 * 1024)}\"}}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        await ApiAssert.ProblemAsync(await PostAskingFirstAsync("/api/groups", $"{{\"name\": \"{new string('x', 2 * 1024 * 1024)}\"}}"), HttpStatusCode.RequestEntityTooLarge);

        using var invalid = new ByteArrayContent([.. "{\"note\": \""u8, 0xC3, 0x28, .. "\"}"u8]);
        invalid.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.PostAsync(new Uri("/hub/api/users/alice/tokens", UriKind.Relative), invalid)).StatusCode);
        var tokens = await Admin.GetFromJsonAsync<JsonElement>("/hub/api/users/alice/tokens");
        Assert.Empty(tokens.GetProperty("api_tokens").EnumerateArray()); // nothing was stored by any of them
    }

    private Task<HttpResponseMessage> PostAskingFirstAsync(string path, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = Json(json) };
        request.Headers.ExpectContinue = true;
        return Admin.SendAsync(request);
    }
}
