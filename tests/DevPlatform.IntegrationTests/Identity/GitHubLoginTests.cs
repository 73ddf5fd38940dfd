using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Identity;

/// <summary>GitHub sign-in (organisations, teams, admins) and DANDI registration, against a local GitHub and DANDI archive.</summary>
public sealed class GitHubLoginTests(GitHubHub hub) : IClassFixture<GitHubHub>
{
    [Fact]
    public async Task OrgMember_Admitted_TeamRuleGivesGroup_OptedInProfileGetsGitHubVariables()
    {
        using var browser = new Browser(hub.Host.BaseAddress);
        var me = await ApiAssert.OkAsync(await hub.SignInAsync(browser, "github", "Octo-Cat"));
        Assert.Equal("octo-cat@users.noreply.github.com", me.GetProperty("email").GetString()); // primary verified address from /user/emails
        Assert.Equal("octo-cat", me.GetProperty("name").GetString());
        Assert.Equal(["github"], me.GetProperty("linkedProviders").EnumerateArray().Select(p => p.GetString()!).ToList());
        Assert.False(me.GetProperty("admin").GetBoolean());
        var groups = await hub.Admin.GetFromJsonAsync<JsonElement>("/api/groups?member=octo-cat");
        Assert.Equal(["lab"], groups.GetProperty("items").EnumerateArray().Select(g => g.GetProperty("name").GetString()!).ToList()); // research-org/ml, found on page 2

        await ApiAssert.OkAsync(await browser.Client.PostAsJsonAsync("/api/users/octo-cat/environments", new { name = "gh", profile = "gh" }), HttpStatusCode.Accepted);
        await EnvironmentCatalog.WaitForStateAsync(browser.Client, "octo-cat", "gh", "running");
        var echo = await ApiAssert.OkAsync((await browser.FollowAsync("/user/octo-cat/gh/")).Response);
        var github = echo.GetProperty("github");
        Assert.Equal("Octo-Cat", github.GetProperty("GITHUB_USER").GetString());
        Assert.StartsWith("gho_", github.GetProperty("GITHUB_TOKEN").GetString(), StringComparison.Ordinal);
        Assert.Equal("octo-cat@users.noreply.github.com", github.GetProperty("GITHUB_EMAIL").GetString());
        var stored = await hub.Admin.GetFromJsonAsync<JsonElement>("/api/users/octo-cat/environments/gh");
        Assert.DoesNotContain("gho_", stored.GetRawText(), StringComparison.Ordinal);

        // A profile that does not opt in gets none of them.
        await ApiAssert.OkAsync(await browser.Client.PostAsJsonAsync("/api/users/octo-cat/environments", new { name = "plain", profile = "web" }), HttpStatusCode.Accepted);
        await EnvironmentCatalog.WaitForStateAsync(browser.Client, "octo-cat", "plain", "running");
        var plain = await ApiAssert.OkAsync((await browser.FollowAsync("/user/octo-cat/plain/")).Response);
        Assert.Empty(plain.GetProperty("github").EnumerateObject());
        foreach (var name in new[] { "gh", "plain" })
        {
            await hub.Admin.DeleteAsync(new Uri($"/api/users/octo-cat/environments/{name}", UriKind.Relative));
        }
    }

    [Fact]
    public async Task OutsideAllowedOrganisations_Refused_AdminByUsernameAdmitted()
    {
        using var stranger = new Browser(hub.Host.BaseAddress);
        var refused = await hub.SignInAsync(stranger, "github", "stranger");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("not a member of an organisation or team allowed", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await hub.Admin.GetAsync(new Uri("/api/users/stranger", UriKind.Relative))).StatusCode);

        using var boss = new Browser(hub.Host.BaseAddress);
        Assert.True((await ApiAssert.OkAsync(await hub.SignInAsync(boss, "github", "boss"))).GetProperty("admin").GetBoolean());
    }

    [Fact]
    public async Task Dandi_RegisteredIgnoringCase_Admitted_SearchHitThatIsNotTheLogin_Refused()
    {
        hub.GitHub.DandiUsers.Clear();
        hub.GitHub.DandiUsers.Add("octo-cat"); // the archive spells it in lower case; the search for "octo" finds it too
        using var member = new Browser(hub.Host.BaseAddress);
        Assert.Equal("octo-cat", (await ApiAssert.OkAsync(await hub.SignInAsync(member, "dandi", "Octo-Cat"))).GetProperty("name").GetString());

        using var other = new Browser(hub.Host.BaseAddress);
        var refused = await hub.SignInAsync(other, "dandi", "octo");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("not registered with a DANDI archive", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dandi_ArchiveError_Denies_WithoutLeakingTheToken_AdminSkipsTheCheck()
    {
        hub.GitHub.DandiUsers.Clear();
        hub.GitHub.DandiUsers.Add("stranger");
        hub.GitHub.DandiFails = true;
        try
        {
            using var browser = new Browser(hub.Host.BaseAddress);
            var denied = await hub.SignInAsync(browser, "dandi", "stranger");
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
            Assert.DoesNotContain(FakeGitHub.DandiToken, await denied.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var audit = await hub.Admin.GetFromJsonAsync<JsonElement>("/api/audit?action=login-refused&limit=50");
            Assert.DoesNotContain(FakeGitHub.DandiToken, audit.GetRawText(), StringComparison.Ordinal);

            using var boss = new Browser(hub.Host.BaseAddress);
            Assert.Equal(HttpStatusCode.OK, (await hub.SignInAsync(boss, "dandi", "boss")).StatusCode); // not registered, but an admin
        }
        finally
        {
            hub.GitHub.DandiFails = false;
        }
    }
}
