using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Security;

/// <summary>A leaked narrow token must not become a lasting, hidden one through the JupyterHub API.</summary>
public sealed class TokenMintingTests : LiveHostTest
{
    private HttpClient With(string token)
    {
        var client = new HttpClient { BaseAddress = Host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", token);
        return client;
    }

    private static async Task<string> PersonalAsync(Browser owner, string user, string name, string scope) =>
        (await ApiAssert.OkAsync(await owner.Client.PostAsJsonAsync($"/api/users/{user}/tokens", new { name, scopes = new[] { scope }, expiresInDays = 30 }), HttpStatusCode.Created))
            .GetProperty("token").GetString()!;

    private async Task<HttpStatusCode> WhoAmIAsync(string token)
    {
        using var client = With(token);
        return (await client.GetAsync(new Uri("/hub/api/user", UriKind.Relative))).StatusCode;
    }

    [Fact]
    public async Task EnvironmentsTokenAndServerToken_CannotMintTokens()
    {
        using var personal = With(await PersonalAsync(Alice, "alice", "laptop", "environments"));
        var refused = await personal.PostAsJsonAsync("/hub/api/users/alice/tokens", new { note = "forever" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Tokens cannot create tokens", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "web1", profile = "web" }), HttpStatusCode.Accepted);
        await EnvironmentCatalog.WaitForStateAsync(Alice.Client, "alice", "web1", "running");
        var serverToken = (await ApiAssert.OkAsync((await Alice.FollowAsync("/user/alice/web1/")).Response)).GetProperty("hubToken").GetString()!;
        using var server = With(serverToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.PostAsJsonAsync("/hub/api/users/alice/tokens", new { })).StatusCode);
        var listed = await Alice.Client.GetFromJsonAsync<JsonElement>("/api/users/alice/tokens");
        Assert.Equal(["laptop"], listed.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task AdminScopedToken_MintsOnlyExpiringListedTokens_RevokedWithTheParentAndOnSignOutEverywhere()
    {
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "root1", admin = true }), HttpStatusCode.Created);
        using var root = new Browser(Host.BaseAddress);
        await root.LoginAsync("root1");
        using var parent = With(await PersonalAsync(root, "root1", "wide", "admin"));
        var minted = await ApiAssert.OkAsync(await parent.PostAsJsonAsync("/hub/api/users/root1/tokens", new { note = "script" }), HttpStatusCode.Created);
        Assert.Equal(JsonValueKind.String, minted.GetProperty("expires_at").ValueKind); // never immortal
        var child = minted.GetProperty("token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await WhoAmIAsync(child));
        var listed = await root.Client.GetFromJsonAsync<JsonElement>("/api/users/root1/tokens");
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), t => t.GetProperty("kind").GetString() == "derived" && t.GetProperty("note").GetString() == "script");

        Assert.Equal(HttpStatusCode.NoContent, (await root.Client.DeleteAsync(new Uri("/api/users/root1/tokens/wide", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, await WhoAmIAsync(child)); // revoked with its parent

        using var second = With(await PersonalAsync(root, "root1", "wide2", "admin"));
        var other = (await ApiAssert.OkAsync(await second.PostAsJsonAsync("/hub/api/users/root1/tokens", new { }), HttpStatusCode.Created)).GetProperty("token").GetString()!;
        using var signOut = new HttpRequestMessage(HttpMethod.Delete, "/api/users/root1/sessions");
        signOut.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "same-origin");
        Assert.Equal(HttpStatusCode.NoContent, (await root.Client.SendAsync(signOut)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, await WhoAmIAsync(other)); // signing out everywhere ends it
    }
}
