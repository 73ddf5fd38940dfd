using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Identity;

/// <summary>Group managers, sign out everywhere with antiforgery, and the audit of token use.</summary>
public sealed class SessionAndRoleTests : LiveHostTest
{
    [Fact]
    public async Task GroupManager_ManagesMembersAndQuotasOfOwnGroupOnly_NotProfilesNorTheGroupItself()
    {
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/groups", new { name = "other" }), HttpStatusCode.Created);
        await ApiAssert.OkAsync(await Admin.PutAsJsonAsync("/api/groups/lab/members/alice", new { role = "manager" }));
        using var bob = new Browser(Host.BaseAddress);
        await bob.LoginAsync("bob");

        var policy = await ApiAssert.OkAsync(await Alice.Client.GetAsync(new Uri("/api/groups/lab/policy", UriKind.Relative)));
        var changed = JsonSerializer.SerializeToNode(policy)!.AsObject();
        changed["monthlyBudget"] = 250;
        changed["cpuQuota"] = "16";
        var saved = await ApiAssert.OkAsync(await Alice.Client.PutAsJsonAsync("/api/groups/lab/policy", changed));
        Assert.Equal(250m, saved.GetProperty("monthlyBudget").GetDecimal());

        changed["allowedProfiles"] = new System.Text.Json.Nodes.JsonArray("web");
        var refused = await ApiAssert.ProblemAsync(await Alice.Client.PutAsJsonAsync("/api/groups/lab/policy", changed), HttpStatusCode.Forbidden);
        Assert.Equal("allowedProfiles", refused.GetProperty("field").GetString());

        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "erin" }), HttpStatusCode.Created);
        await ApiAssert.OkAsync(await Alice.Client.PutAsJsonAsync("/api/groups/lab/members/erin", new { role = "member" }), HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NoContent, (await Alice.Client.DeleteAsync(new Uri("/api/groups/lab/members/erin", UriKind.Relative))).StatusCode);

        await ApiAssert.ProblemAsync(await Alice.Client.PutAsJsonAsync("/api/groups/other/members/erin", new { role = "member" }), HttpStatusCode.Forbidden);
        await ApiAssert.ProblemAsync(await Alice.Client.DeleteAsync(new Uri("/api/groups/lab", UriKind.Relative)), HttpStatusCode.Forbidden);
        await ApiAssert.ProblemAsync(await bob.Client.PutAsJsonAsync("/api/groups/lab/members/erin", new { role = "member" }), HttpStatusCode.Forbidden); // a plain member
        await ApiAssert.ProblemAsync(await bob.Client.GetAsync(new Uri("/api/groups/lab/policy", UriKind.Relative)), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task SignOutEverywhere_EndsEveryBrowsersSession_OnlyWithAntiforgeryToken()
    {
        using var laptop = new Browser(Host.BaseAddress);
        await laptop.LoginAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await laptop.Client.GetAsync(new Uri("/api/me", UriKind.Relative))).StatusCode);

        var forged = await Alice.PostFormAsync("/hub/logout", withAntiforgery: false); // what a hostile page could send
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await laptop.Client.GetAsync(new Uri("/api/me", UriKind.Relative))).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await Alice.PostFormAsync("/hub/logout")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await laptop.Client.GetAsync(new Uri("/api/me", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Alice.Client.GetAsync(new Uri("/api/me", UriKind.Relative))).StatusCode);

        await laptop.LoginAsync("alice"); // a new sign-in works again
        Assert.Equal("alice", (await ApiAssert.OkAsync(await laptop.Client.GetAsync(new Uri("/api/me", UriKind.Relative)))).GetProperty("name").GetString());
        var audit = await Admin.GetFromJsonAsync<JsonElement>("/api/audit?action=logout-everywhere");
        Assert.Equal("alice", audit.GetProperty("items")[0].GetProperty("resourceName").GetString());
    }

    [Fact]
    public async Task TokenUse_AndRefusedTokens_AreAuditedWithSourceAddress()
    {
        var created = await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/tokens", new { name = "ci", scopes = new[] { "read-only" }, expiresInDays = 7 }), HttpStatusCode.Created);
        using var client = new HttpClient { BaseAddress = Host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.GetProperty("token").GetString());
        await ApiAssert.OkAsync(await client.GetAsync(new Uri("/api/users/alice/environments", UriKind.Relative)));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "dvp_not-a-real-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/api/users/alice/environments", UriKind.Relative))).StatusCode);

        var used = await Admin.GetFromJsonAsync<JsonElement>("/api/audit?action=token-use");
        Assert.Equal("alice/ci", used.GetProperty("items")[0].GetProperty("resourceName").GetString());
        Assert.Equal("127.0.0.1", used.GetProperty("items")[0].GetProperty("sourceAddress").GetString());
        var refused = await Admin.GetFromJsonAsync<JsonElement>("/api/audit?action=token-refused&sourceAddress=127.0.0.1");
        Assert.Equal("dvp_not-", refused.GetProperty("items")[0].GetProperty("resourceName").GetString());
    }
}
