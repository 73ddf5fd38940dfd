using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Identity;

public sealed class DevLoginTests
{
    [Fact]
    public async Task DevLogin_NotConfigured_Refused()
    {
        await using var factory = await PlatformFactory.CreateAsync();
        using var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var page = await client.GetStringAsync("/hub/login");
        Assert.Contains("No sign-in provider is enabled", page, StringComparison.Ordinal);
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"");
        Assert.False(token.Success && page.Contains("name=\"username\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DevLogin_FirstSignIn_CreatesUserInDefaultGroup_AndSessionReachesOwnApi()
    {
        await using var host = await PlatformFactory.CreateLiveAsync(new Dictionary<string, string?> { ["Auth:DefaultGroup"] = "everyone" });
        var admin = host.CreateAdminClient();
        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/groups", new { name = "everyone" }), HttpStatusCode.Created);
        using var carol = new Browser(host.BaseAddress);
        await carol.LoginAsync("carol");

        var user = await admin.GetFromJsonAsync<JsonElement>("/api/users/carol");
        Assert.Equal("everyone", user.GetProperty("groups")[0].GetString());
        Assert.Equal(HttpStatusCode.OK, (await carol.Client.GetAsync(new Uri("/api/users/carol/environments", UriKind.Relative))).StatusCode);
        await ApiAssert.ProblemAsync(await carol.Client.GetAsync(new Uri("/api/users", UriKind.Relative)), HttpStatusCode.Forbidden); // not an admin

        var cookie = carol.Cookies.GetCookies(host.BaseAddress)["devplatform-session"]!;
        Assert.True(cookie.HttpOnly);
        Assert.Equal(HttpStatusCode.Redirect, (await carol.Client.GetAsync(new Uri("/hub/logout", UriKind.Relative))).StatusCode);
        await ApiAssert.ProblemAsync(await carol.Client.GetAsync(new Uri("/api/users/carol/environments", UriKind.Relative)), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task DevLogin_DisabledUser_RefusedAndNextNeverLeavesTheSite()
    {
        await using var host = await PlatformFactory.CreateLiveAsync();
        var admin = host.CreateAdminClient();
        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/users", new { name = "mallory", disabled = true }), HttpStatusCode.Created);
        using var mallory = new Browser(host.BaseAddress);
        await Assert.ThrowsAsync<Xunit.Sdk.TrueException>(() => mallory.LoginAsync("mallory"));

        Assert.Equal("/", DevPlatform.Identity.LoginEndpoints.SafeNext("//evil.example/x"));
        Assert.Equal("/", DevPlatform.Identity.LoginEndpoints.SafeNext("https://evil.example/"));
        Assert.Equal("/user/a/b/tree/", DevPlatform.Identity.LoginEndpoints.SafeNext("/user/a/b/tree/"));
    }

    [Fact]
    public async Task DevLogin_OnNonLoopbackBinding_RefusesToStart()
    {
        var database = await (await TestPostgres.SharedAsync()).CreateDatabaseAsync();
        var (code, output) = await HostProcess.RunExpectingExitAsync(database, PluginFolder.With(PluginFolder.BuiltIn), new Dictionary<string, string>
        {
            ["Auth__Providers__0"] = "dev",
            ["urls"] = $"http://0.0.0.0:{TestPostgres.FreePort()}",
        });
        Assert.Equal(1, code);
        Assert.Contains("devplatform: Dev login is enabled (Auth:Providers contains 'dev') but the host listens on http://0.0.0.0:", output, StringComparison.Ordinal);
    }
}
