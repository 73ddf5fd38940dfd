using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Identity;

/// <summary>Sign-in through a real OpenID Connect provider (npm oidc-provider), as with AWS Cognito.</summary>
public sealed class OidcLoginTests(OidcHub hub) : IClassFixture<OidcHub>
{
    [Fact]
    public async Task SignIn_CreatesUserWithGroupsAndAdminFromClaim_NextLoginFollowsTheProvider()
    {
        using var browser = new Browser(hub.Host.BaseAddress);
        await hub.Provider.SetGroupsAsync("carol", "ml-researchers", "hub-admins", "unmapped");
        var callback = await hub.Provider.SignInUntilCallbackAsync(browser, "carol", "/user/carol/lab");
        var landed = await browser.Client.GetAsync(callback);
        Assert.Equal("/user/carol/lab", landed.Headers.Location!.OriginalString);

        var me = await ApiAssert.OkAsync(await browser.Client.GetAsync(new Uri("/api/users/carol", UriKind.Relative)));
        Assert.True(me.GetProperty("admin").GetBoolean());
        Assert.Equal("carol@example.org", me.GetProperty("email").GetString());
        Assert.Equal(["ml"], await GroupsOfAsync("carol"));
        var audit = await hub.Admin.GetFromJsonAsync<JsonElement>("/api/audit?action=login&actor=carol");
        Assert.Equal("127.0.0.1", audit.GetProperty("items")[0].GetProperty("sourceAddress").GetString());

        // The provider moved carol from ml-researchers to imaging and out of the admins: the next sign-in follows.
        using var again = new Browser(hub.Host.BaseAddress);
        await hub.Provider.SetGroupsAsync("carol", "imaging");
        var second = await again.Client.GetAsync(await hub.Provider.SignInUntilCallbackAsync(again, "carol"));
        Assert.True(second.StatusCode == HttpStatusCode.Redirect, await second.Content.ReadAsStringAsync());
        Assert.Equal(["imaging"], await GroupsOfAsync("carol"));
        Assert.False((await hub.Admin.GetFromJsonAsync<JsonElement>("/api/users/carol")).GetProperty("admin").GetBoolean());
    }

    [Fact]
    public async Task ReplayedCallback_IsRefused_AndCallbackFromAnotherBrowserIsRefused()
    {
        using var browser = new Browser(hub.Host.BaseAddress);
        var callback = await hub.Provider.SignInUntilCallbackAsync(browser, "dave");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Client.GetAsync(callback)).StatusCode);

        var replay = await browser.Client.GetAsync(callback);
        Assert.Equal(HttpStatusCode.Forbidden, replay.StatusCode);
        Assert.Contains("already used", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var attacker = new Browser(hub.Host.BaseAddress);
        using var victim = new Browser(hub.Host.BaseAddress);
        var forwarded = await hub.Provider.SignInUntilCallbackAsync(attacker, "mallory");
        var response = await victim.Client.GetAsync(forwarded); // login CSRF: the attacker's callback in the victim's browser
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("different browser", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await hub.Admin.GetAsync(new Uri("/api/users/mallory", UriKind.Relative))).StatusCode);
    }

    [Theory]
    [InlineData("expired", "has expired")]
    [InlineData("tampered", "signature does not verify")]
    [InlineData("audience", "different client")]
    [InlineData("nonce", "nonce mismatch")]
    public async Task BadIdToken_IsRefused_NothingCreated_RefusalAudited(string how, string reason)
    {
        var login = $"eve-{how}";
        using var browser = new Browser(hub.Host.BaseAddress);
        await hub.Provider.SetGroupsAsync(login, "hub-admins");
        var callback = await hub.Provider.SignInUntilCallbackAsync(browser, login);
        await hub.Provider.MutateNextIdTokenAsync(how);
        var response = await browser.Client.GetAsync(callback);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await hub.Admin.GetAsync(new Uri($"/api/users/{login}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Client.GetAsync(new Uri("/api/users/" + login, UriKind.Relative))).StatusCode);
        var refusals = await hub.Admin.GetFromJsonAsync<JsonElement>("/api/audit?action=login-refused");
        Assert.Contains(refusals.GetProperty("items").EnumerateArray(), e => e.GetProperty("after").GetProperty("reason").GetString()!.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoginPage_ListsTheProvider_AndReturnUrlsOffSiteAreIgnored()
    {
        using var browser = new Browser(hub.Host.BaseAddress);
        var page = await browser.Client.GetStringAsync(new Uri("/hub/login?next=%2Fuser%2Fx", UriKind.Relative));
        Assert.Contains("href=\"/hub/login/oidc?next=%2Fuser%2Fx\"", page, StringComparison.Ordinal);
        Assert.Contains("Sign in with AWS Cognito", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Dev login is on", page, StringComparison.Ordinal);

        foreach (var next in new[] { "https://evil.example/", "//evil.example/", "/\\evil.example/" })
        {
            using var visitor = new Browser(hub.Host.BaseAddress);
            var callback = await hub.Provider.SignInUntilCallbackAsync(visitor, "frank", next);
            var landed = await visitor.Client.GetAsync(callback);
            Assert.Equal("/", landed.Headers.Location!.OriginalString);
        }
    }

    private async Task<List<string>> GroupsOfAsync(string user)
    {
        var groups = await hub.Admin.GetFromJsonAsync<JsonElement>($"/api/groups?member={user}");
        return groups.GetProperty("items").EnumerateArray().Select(g => g.GetProperty("name").GetString()!).ToList();
    }
}
