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
}
