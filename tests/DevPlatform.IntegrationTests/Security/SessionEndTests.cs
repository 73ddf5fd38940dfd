using System.Net;
using System.Net.Http.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Security;

/// <summary>Signing out ends the session on the server, not only in the browser; a role change reaches live sessions.</summary>
public sealed class SessionEndTests : LiveHostTest
{
    [Fact]
    public async Task Logout_ACopyOfTheCookieNoLongerWorks()
    {
        using var thief = new Browser(Host.BaseAddress);
        foreach (Cookie cookie in Alice.Cookies.GetAllCookies())
        {
            thief.Cookies.Add(cookie); // what a stolen or kept copy of alice's cookie would be
        }

        Assert.Equal(HttpStatusCode.OK, (await thief.Client.GetAsync(new Uri("/api/me", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await Alice.Client.GetAsync(new Uri("/hub/logout", UriKind.Relative))).StatusCode);
        await ApiAssert.ProblemAsync(await thief.Client.GetAsync(new Uri("/api/me", UriKind.Relative)), HttpStatusCode.Unauthorized);

        using var again = new Browser(Host.BaseAddress);
        await again.LoginAsync("alice"); // a new sign-in is a new session
        Assert.Equal(HttpStatusCode.OK, (await again.Client.GetAsync(new Uri("/api/me", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task MadeAdmin_LiveSessionGainsItWithoutSigningInAgain()
    {
        await ApiAssert.ProblemAsync(await Alice.Client.GetAsync(new Uri("/api/users", UriKind.Relative)), HttpStatusCode.Forbidden);
        await ApiAssert.OkAsync(await Admin.PutAsJsonAsync("/api/users/alice", new { name = "alice", admin = true }));
        await Eventually.UntilAsync(async () => (await Alice.Client.GetAsync(new Uri("/api/users", UriKind.Relative))).StatusCode,
            s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "alice's live session to be an admin's");
    }

    /// <summary>
    /// The proxy reads the session the authentication middleware already checked: an ended session must not open the
    /// environment, a live role change must reach it, and another user's session never opens it.
    /// </summary>
    [Fact]
    public async Task Proxy_FollowsTheSessionCheck_EndedCopyRefused_RoleChangeApplies_OtherUserRefused()
    {
        using var bob = new Browser(Host.BaseAddress);
        await bob.LoginAsync("bob");
        await ApiAssert.OkAsync(await bob.Client.PostAsJsonAsync("/api/users/bob/environments", new { name = "nb", profile = "web" }), HttpStatusCode.Accepted);
        await EnvironmentCatalog.WaitForStateAsync(bob.Client, "bob", "nb", "running");
        var page = new Uri("/user/bob/nb/x", UriKind.Relative);

        var refused = await ApiAssert.ProblemAsync(await Alice.Client.GetAsync(page), HttpStatusCode.Forbidden);
        Assert.Contains("alice may not open bob/nb", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var thief = new Browser(Host.BaseAddress);
        foreach (Cookie cookie in bob.Cookies.GetAllCookies())
        {
            thief.Cookies.Add(cookie); // a kept copy of bob's cookie
        }

        var echo = await ApiAssert.OkAsync(await thief.Client.GetAsync(page));
        Assert.DoesNotContain("devplatform-session", echo.GetProperty("headers").TryGetProperty("Cookie", out var sent) ? sent.ToString() : string.Empty, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await bob.Client.GetAsync(new Uri("/hub/logout", UriKind.Relative))).StatusCode);
        var ended = await thief.Client.GetAsync(page);
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode); // to sign-in, not to bob's environment
        Assert.StartsWith("/hub/login", ended.Headers.Location!.OriginalString, StringComparison.Ordinal);

        // Made an admin while signed in, alice's live session opens bob's environment through the proxy too.
        await ApiAssert.OkAsync(await Admin.PutAsJsonAsync("/api/users/alice", new { name = "alice", admin = true }));
        await Eventually.UntilAsync(async () => (await Alice.Client.GetAsync(page)).StatusCode,
            s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "alice's live session, now an admin's, to open bob's environment");
    }
}
