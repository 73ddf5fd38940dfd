using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Environments;

/// <summary>The hub answers as JupyterHub 3.0 does to what a single-user server sends it.</summary>
public sealed class HubApiTests
{
    [Fact]
    public async Task Root_AnswersVersionWithHeader_UnknownTokensGet403()
    {
        await using var factory = await PlatformFactory.CreateAsync();
        using var client = factory.CreateClient();
        var root = await client.GetAsync("/hub/api");
        Assert.Equal("3.0.0", root.Headers.GetValues("X-JupyterHub-Version").Single());
        Assert.Equal("3.0.0", (await root.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetString());

        client.DefaultRequestHeaders.Authorization = new("token", "0123456789abcdef0123456789abcdef");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/hub/api/user")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/hub/api/users/alice/activity", new { last_activity = "2026-01-01T00:00:00Z" })).StatusCode);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = "jupyterhub-user-alice-x", ["client_secret"] = "nope", ["grant_type"] = "authorization_code", ["code"] = "c", ["redirect_uri"] = "/user/alice/x/oauth_callback" });
        var token = await client.PostAsync("/hub/api/oauth2/token", form);
        Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
        Assert.Equal("invalid_client", (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }
}
