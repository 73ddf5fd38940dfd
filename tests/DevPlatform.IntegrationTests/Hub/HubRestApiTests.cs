using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Hub;

/// <summary>
/// What the JupyterHub API does on our model beyond what the differential test can show: start options that pick a
/// profile and its size, the policy's refusals in JupyterHub's error form, the progress stream of a start, and scopes
/// from our roles (a group manager's <c>!group=</c>, a token narrowed to <c>!user=</c>).
/// </summary>
public sealed class HubRestApiTests
{
    [Fact]
    public async Task Servers_StartWithProfileOptions_StreamProgress_RestartKeepsProfile_RefuseBadOptionsInJupyterHubForm()
    {
        // SlowSeconds 0: every start and stop answers 202 at once, so the progress stream sees the whole start;
        // the hub's default profile is 'web', so a restart that kept no profile of its own would show it
        await using var host = await PlatformFactory.CreateLiveAsync(new Dictionary<string, string?> { ["Hub:SlowSeconds"] = "0", ["Hub:DefaultProfile"] = "web" });
        var admin = host.CreateAdminClient();
        // 'slow' waits 2 s before the workload starts, so the progress stream is read while the start is under way
        await EnvironmentCatalog.SeedAsync(admin, null, EnvironmentCatalog.WebProfile("slow", command: ["sh", "-c", $"sleep 2; exec python3 {EnvironmentCatalog.EchoWorkload}"]));
        using var hub = Hub(host, PlatformFactory.AdminToken);

        var unknownKey = await SendAsync(hub, HttpMethod.Post, "/users/alice/servers/w1", """{"profile": "web", "cpu": 4}""");
        Assert.Equal(400, unknownKey.Status);
        Assert.Contains("Unknown start options 'cpu'", Message(unknownKey.Body), StringComparison.Ordinal);
        var unknownProfile = await SendAsync(hub, HttpMethod.Post, "/users/alice/servers/w1", """{"profile": "nope"}""");
        Assert.Equal(400, unknownProfile.Status);
        Assert.Equal("profile: no profile named 'nope' exists.", Message(unknownProfile.Body));
        var unknownSize = await SendAsync(hub, HttpMethod.Post, "/users/alice/servers/w1", """{"profile": "web", "size": "huge"}""");
        Assert.Equal(400, unknownSize.Status);
        Assert.StartsWith("size: ", Message(unknownSize.Body), StringComparison.Ordinal);
        Assert.Equal(404, (await SendAsync(hub, HttpMethod.Get, "/users/alice/servers/w1/progress")).Status); // nothing was stored

        Assert.Equal(202, (await SendAsync(hub, HttpMethod.Post, "/users/alice/servers/w1", """{"profile": "slow", "size": "large"}""")).Status);
        var events = (await SendAsync(hub, HttpMethod.Get, "/users/alice/servers/w1/progress")).Body!.AsArray();
        var last = events[^1]!;
        Assert.True(last["ready"]!.GetValue<bool>(), events.ToJsonString());
        Assert.Equal("/user/alice/w1/", last["url"]!.GetValue<string>());
        var progress = events.Select(e => e!["progress"]!.GetValue<int>()).ToList();
        Assert.True(events.Count > 1 && progress.SequenceEqual(progress.Order()) && progress[^1] == 100, events.ToJsonString());

        var user = (await SendAsync(hub, HttpMethod.Get, "/users/alice")).Body!;
        var options = user["servers"]!["w1"]!["user_options"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"profile":"slow","size":"large"}"""), options), options.ToJsonString());
        Assert.Equal("large", (await admin.GetFromJsonAsync<JsonElement>("/api/users/alice/environments/w1")).GetProperty("size").GetString());

        // stopped, then started again with options that name no profile: it keeps its own, not the hub's default
        Assert.Equal(202, (await SendAsync(hub, HttpMethod.Delete, "/users/alice/servers/w1")).Status);
        await Eventually.UntilAsync(async () => await admin.GetFromJsonAsync<JsonElement>("/api/users/alice/environments/w1"),
            e => e.GetProperty("state").GetString() == "stopped", TimeSpan.FromSeconds(60), "server w1 to stop");
        var again = await SendAsync(hub, HttpMethod.Post, "/users/alice/servers/w1", """{"size": "large"}""");
        Assert.True(again.Status == 202, $"{again.Status} {Message(again.Body)}");
        var restarted = await admin.GetFromJsonAsync<JsonElement>("/api/users/alice/environments/w1");
        Assert.Equal(("slow", "large"), (restarted.GetProperty("profile").GetString(), restarted.GetProperty("size").GetString()));
        await Eventually.UntilAsync(async () => await admin.GetFromJsonAsync<JsonElement>("/api/users/alice/environments/w1"),
            e => e.GetProperty("state").GetString() == "running", TimeSpan.FromSeconds(60), "server w1 to run again"); // a pending one cannot be removed

        Assert.Equal(202, (await SendAsync(hub, HttpMethod.Delete, "/users/alice/servers/w1", """{"remove": true}""")).Status);
        await Eventually.UntilAsync(async () => await admin.GetAsync(new Uri("/api/users/alice/environments/w1", UriKind.Relative)),
            r => r.StatusCode == HttpStatusCode.NotFound, TimeSpan.FromSeconds(60), "the removed server's environment to be deleted");
    }

    [Fact]
    public async Task Scopes_ManagerSeesOwnGroup_FilteredTokenSeesOnlyItsUser_AllTokenForms()
    {
        await using var factory = await PlatformFactory.CreateAsync();
        var admin = factory.CreateAdminClient();
        foreach (var name in new[] { "alice", "bob", "carol" })
        {
            await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/users", new { name }), HttpStatusCode.Created);
        }

        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/groups", new { name = "lab" }), HttpStatusCode.Created);
        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/groups", new { name = "physics" }), HttpStatusCode.Created);
        await ApiAssert.OkAsync(await admin.PutAsJsonAsync("/api/groups/lab/members/alice", new { role = "member" }), HttpStatusCode.Created);
        await ApiAssert.OkAsync(await admin.PutAsJsonAsync("/api/groups/lab/members/bob", new { role = "manager" }), HttpStatusCode.Created);
        using var hubAdmin = Hub(factory, PlatformFactory.AdminToken);

        var bobToken = (await SendAsync(hubAdmin, HttpMethod.Post, "/users/bob/tokens")).Body!["token"]!.GetValue<string>();
        using var bob = Hub(factory, bobToken, scheme: "bearer");
        var listed = (await SendAsync(bob, HttpMethod.Get, "/users")).Body!.AsArray().Select(u => u!["name"]!.GetValue<string>());
        Assert.Equal(["alice", "bob"], listed);
        var hidden = await SendAsync(bob, HttpMethod.Get, "/users/carol");
        Assert.Equal((404, "No access to resources or resources not found"), (hidden.Status, Message(hidden.Body)));
        Assert.Equal(200, (await SendAsync(bob, HttpMethod.Post, "/groups/lab/users", """{"users": ["carol"]}""")).Status);
        Assert.Equal(404, (await SendAsync(bob, HttpMethod.Post, "/groups/physics/users", """{"users": ["carol"]}""")).Status);
        Assert.Contains("lab", (await admin.GetFromJsonAsync<JsonElement>("/api/users/carol")).GetRawText(), StringComparison.Ordinal);
        Assert.Equal(403, (await SendAsync(bob, HttpMethod.Delete, "/users/carol")).Status);

        var excess = await SendAsync(hubAdmin, HttpMethod.Post, "/users/alice/tokens", """{"scopes": ["read:users!user=carol"]}""");
        Assert.Equal((400, "Not assigning requested scopes read:users!user=carol,read:users:activity!user=carol,read:users:groups!user=carol,read:users:name!user=carol not held by User alice"),
            (excess.Status, string.Join(',', Message(excess.Body).Split(',').Order(StringComparer.Ordinal))));
        var narrow = (await SendAsync(hubAdmin, HttpMethod.Post, "/users/alice/tokens", """{"scopes": ["read:users!user=alice"], "note": "dashboard"}""")).Body!;
        Assert.Equal("dashboard", narrow["note"]!.GetValue<string>());
        using var alice = Hub(factory, narrow["token"]!.GetValue<string>());
        var self = (await SendAsync(alice, HttpMethod.Get, "/users/alice")).Body!.AsObject();
        Assert.False(self.ContainsKey("servers")); // read:users without read:servers
        Assert.Equal(403, (await SendAsync(alice, HttpMethod.Post, "/users/alice/server")).Status);

        using var plain = factory.CreateClient();
        var byQuery = await plain.GetAsync(new Uri($"/hub/api/user?token={narrow["token"]}", UriKind.Relative));
        Assert.Equal("alice", (await byQuery.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task CreatedUsers_JoinTheDefaultGroup_WithTheirAuditEvents_AndABadNameStoresNothing()
    {
        await using var host = await WithDefaultGroupAsync();
        var admin = host.CreateAdminClient();
        using var hub = Hub(host, PlatformFactory.AdminToken);

        var one = await SendAsync(hub, HttpMethod.Post, "/users/u1");
        Assert.Equal(201, one.Status);
        Assert.Equal("[\"everyone\"]", one.Body!["groups"]!.ToJsonString());
        var many = await SendAsync(hub, HttpMethod.Post, "/users", """{"usernames": ["u2", "u1", "U3 "]}""");
        Assert.Equal(201, many.Status);
        Assert.Equal(["u2", "u3"], many.Body!.AsArray().Select(u => u!["name"]!.GetValue<string>())); // u1 existed: skipped, as JupyterHub does
        Assert.All(many.Body.AsArray(), u => Assert.Equal("[\"everyone\"]", u!["groups"]!.ToJsonString()));

        var members = await admin.GetFromJsonAsync<JsonElement>("/api/groups/everyone/members");
        Assert.Equal(["u1", "u2", "u3"], members.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("user").GetString()));
        foreach (var (type, name) in new[] { ("user", "u1"), ("membership", "everyone/u1"), ("user", "u3"), ("membership", "everyone/u3") })
        {
            var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/audit?resourceType={type}&resourceName={Uri.EscapeDataString(name)}");
            Assert.Equal("create", Assert.Single(audit.GetProperty("items").EnumerateArray()).GetProperty("action").GetString());
        }

        var bad = await SendAsync(hub, HttpMethod.Post, "/users", """{"usernames": ["u4", "not a name!"]}""");
        Assert.Equal(400, bad.Status);
        Assert.Equal("Invalid username: not a name!", Message(bad.Body));
        Assert.Equal(404, (await SendAsync(hub, HttpMethod.Get, "/users/u4")).Status); // nothing stored on a 400
        Assert.Equal(409, (await SendAsync(hub, HttpMethod.Post, "/users/u2")).Status);
        Assert.Equal(409, (await SendAsync(hub, HttpMethod.Post, "/users", """{"usernames": ["u1", "u2"]}""")).Status);
    }

    [Fact]
    public async Task CreateUser_TwentyAtOnceWithOneName_OneCreatedRestConflict_OneUserOneMembershipOneAudit()
    {
        await using var host = await WithDefaultGroupAsync();
        var admin = host.CreateAdminClient();
        using var hub = Hub(host, PlatformFactory.AdminToken);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => i % 2 == 0
            ? SendAsync(hub, HttpMethod.Post, "/users/racer")
            : SendAsync(hub, HttpMethod.Post, "/users", """{"usernames": ["racer"]}""")));
        Assert.Equal(1, answers.Count(a => a.Status == 201));
        Assert.All(answers.Where(a => a.Status != 201), a => Assert.Equal(409, a.Status));
        var members = await admin.GetFromJsonAsync<JsonElement>("/api/groups/everyone/members");
        Assert.Equal(["racer"], members.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("user").GetString()));
        foreach (var (type, name) in new[] { ("user", "racer"), ("membership", "everyone/racer") })
        {
            var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/audit?resourceType={type}&resourceName={Uri.EscapeDataString(name)}");
            Assert.Single(audit.GetProperty("items").EnumerateArray());
        }
    }

    /// <summary>A host whose new users join 'everyone' (Auth:DefaultGroup), with that group created.</summary>
    private static async Task<PlatformFactory> WithDefaultGroupAsync()
    {
        var host = await PlatformFactory.CreateAsync(new Dictionary<string, string?> { ["Auth:DefaultGroup"] = "everyone" });
        await ApiAssert.OkAsync(await host.CreateAdminClient().PostAsJsonAsync("/api/groups", new { name = "everyone" }), HttpStatusCode.Created);
        return host;
    }

    private static HttpClient Hub(PlatformFactory factory, string token, string scheme = "token")
    {
        var client = factory.BaseAddress.Host == "localhost" ? factory.CreateClient() : new HttpClient { BaseAddress = factory.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, token);
        return client;
    }

    private static async Task<(int Status, JsonNode? Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, "/hub/api" + path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.Content.Headers.ContentType?.MediaType switch
        {
            "application/json" => ((int)response.StatusCode, JsonNode.Parse(text)),
            "text/event-stream" => ((int)response.StatusCode, HubUnderTest.EventsOf(text)),
            _ => ((int)response.StatusCode, null),
        };
    }

    private static string Message(JsonNode? body) => body?["message"]?.GetValue<string>() ?? "(no message)";
}
