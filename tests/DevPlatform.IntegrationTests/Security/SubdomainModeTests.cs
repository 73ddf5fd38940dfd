using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;
using Npgsql;

namespace DevPlatform.IntegrationTests.Security;

/// <summary>
/// Subdomain mode: each user's environments at <c>{user}.envs.test</c> (resolved to loopback by the test client, as a
/// wildcard DNS record would), an origin apart from the hub's and from every other user's.
/// </summary>
public sealed class SubdomainModeTests : LiveHostTest
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Proxy:EnvironmentUrl"] = "http://{user}.envs.test", ["Auth:PublicUrl"] = "http://127.0.0.1:{port}",
    };

    /// <summary>The same person's browser (shared cookies), with every *.envs.test name resolving to loopback.</summary>
    private Browser BrowserWith(CookieContainer cookies) => new(Host.BaseAddress, cookies, resolveToLoopback: true);

    private string Environment(string user, string path = "") => $"http://{user}.envs.test:{Host.BaseAddress.Port}/user/{user}/web1/{path}";

    [Fact]
    public async Task Owner_IsHandedFromTheHubToTheirOwnHost_WhichServesNothingButTheirEnvironments()
    {
        await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "web1", profile = "web" }), HttpStatusCode.Accepted);
        await EnvironmentCatalog.WaitForStateAsync(Alice.Client, "alice", "web1", "running");
        using var browser = BrowserWith(Alice.Cookies);

        var (response, visited) = await browser.FollowAsync("/user/alice/web1/hello");
        var echo = await ApiAssert.OkAsync(response);
        Assert.Equal(Environment("alice", "hello"), visited[^1]); // served from alice's own host, never the hub's
        Assert.Contains(visited, v => v.StartsWith("/hub/env-login?", StringComparison.Ordinal)); // on the hub's host
        var cookie = echo.GetProperty("headers").TryGetProperty("Cookie", out var c) ? c.GetString()! : "";
        Assert.DoesNotContain("devplatform-", cookie, StringComparison.Ordinal); // neither the hub's session nor the host's own cookie reaches the workload
        Assert.False(response.Headers.Contains("Content-Security-Policy")); // its own origin: no sandbox needed

        foreach (var hubPath in new[] { "/api/me", "/hub/login", "/", "/user/bob/web1/" })
        {
            using var refused = await browser.Client.GetAsync(new Uri($"http://alice.envs.test:{Host.BaseAddress.Port}{hubPath}"));
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode); // no hub page and no one else's environment on alice's origin
        }

        // Signing out everywhere ends the environment host's cookie too (it names the hub session it came from).
        using var signOut = new HttpRequestMessage(HttpMethod.Delete, "/api/users/alice/sessions");
        signOut.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "same-origin");
        Assert.Equal(HttpStatusCode.NoContent, (await Alice.Client.SendAsync(signOut)).StatusCode);
        await Eventually.UntilAsync(async () => (await browser.Client.GetAsync(new Uri(Environment("alice", "after")))).StatusCode,
            s => s == HttpStatusCode.Redirect, TimeSpan.FromSeconds(30), "alice's environment cookie to be refused after signing out everywhere");

        await using var connection = new NpgsqlConnection(Host.ConnectionString);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand("SELECT spec::text FROM environments WHERE name = 'web1'", connection);
        var variables = JsonDocument.Parse((string)(await read.ExecuteScalarAsync())!).RootElement.GetProperty("environment");
        Assert.Equal($"{Environment("alice")}oauth_callback", variables.GetProperty("JUPYTERHUB_OAUTH_CALLBACK_URL").GetString()); // as JupyterHub's subdomain_host sets them
        Assert.Equal($"http://127.0.0.1:{Host.BaseAddress.Port}", variables.GetProperty("JUPYTERHUB_HOST").GetString());
    }

    [Fact]
    public async Task OtherUser_RefusedAtTheHandOff_AndATicketForOneHostDoesNotOpenAnother()
    {
        await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "web1", profile = "web" }), HttpStatusCode.Accepted);
        await EnvironmentCatalog.WaitForStateAsync(Alice.Client, "alice", "web1", "running");
        using var bob = new Browser(Host.BaseAddress);
        await bob.LoginAsync("bob");
        using var bobsBrowser = BrowserWith(bob.Cookies);
        var (refused, _) = await bobsBrowser.FollowAsync(Environment("alice"));
        await ApiAssert.ProblemAsync(refused, HttpStatusCode.Forbidden);

        // Bob takes a ticket for his own host and presents it at alice's.
        var handOff = await bobsBrowser.Client.GetAsync(new Uri($"{Host.BaseAddress}hub/env-login?next={Uri.EscapeDataString(Environment("bob"))}"));
        var ticketUrl = handOff.Headers.Location!.ToString();
        Assert.StartsWith($"http://bob.envs.test:{Host.BaseAddress.Port}/hub/env-callback?ticket=", ticketUrl, StringComparison.Ordinal);
        using var replayed = await bobsBrowser.Client.GetAsync(new Uri(ticketUrl.Replace("bob.envs.test", "alice.envs.test", StringComparison.Ordinal)));
        await ApiAssert.ProblemAsync(replayed, HttpStatusCode.BadRequest);
        using var stillRefused = await bobsBrowser.Client.GetAsync(new Uri(Environment("alice")));
        Assert.Equal(HttpStatusCode.Redirect, stillRefused.StatusCode); // no cookie for alice's host: back to the hub, which refuses him
    }

    [Fact]
    public async Task StockJupyterhubSingleuser_SignsItsUserInThroughTheHubFromItsOwnHost()
    {
        Assert.True(File.Exists("/usr/bin/jupyterhub-singleuser"), "/usr/bin/jupyterhub-singleuser is missing; install it with: sudo apt-get install -y jupyterhub");
        await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "nb", profile = "jupyter" }), HttpStatusCode.Accepted);
        await EnvironmentCatalog.WaitForStateAsync(Alice.Client, "alice", "nb", "running");
        using var browser = BrowserWith(Alice.Cookies);

        var (tree, visited) = await browser.FollowAsync("/user/alice/nb/tree/"); // a person opens the page; Jupyter sends them through the hub's OAuth
        Assert.True(tree.IsSuccessStatusCode, $"{(int)tree.StatusCode} after {string.Join(" -> ", visited)}");
        Assert.Equal($"http://alice.envs.test:{Host.BaseAddress.Port}/user/alice/nb/tree/", visited[^1]);
        var status = await ApiAssert.OkAsync(await browser.Client.GetAsync(new Uri($"http://alice.envs.test:{Host.BaseAddress.Port}/user/alice/nb/api/status")));
        Assert.True(status.TryGetProperty("started", out _), $"not the server's status: {status}");
        var callback = Uri.EscapeDataString($"http://alice.envs.test:{Host.BaseAddress.Port}/user/alice/nb/oauth_callback");
        Assert.Contains(visited, v => v.StartsWith($"/hub/api/oauth2/authorize?client_id=jupyterhub-user-alice-nb&redirect_uri={callback}", StringComparison.Ordinal));
    }
}
