using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using DevPlatform.IntegrationTests.Fixtures;
using Npgsql;

namespace DevPlatform.IntegrationTests.Security;

/// <summary>The proxy as an attacker meets it: other users' tokens, narrow tokens, and a workload that reads what it is sent.</summary>
public sealed class ProxyCredentialTests : LiveHostTest
{
    private static async Task<string> TokenAsync(Browser owner, string user, string name, params string[] scopes)
    {
        var created = await ApiAssert.OkAsync(await owner.Client.PostAsJsonAsync($"/api/users/{user}/tokens", new { name, scopes, expiresInDays = 1 }), HttpStatusCode.Created);
        return created.GetProperty("token").GetString()!;
    }

    private HttpClient With(string token, string scheme = "Bearer")
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false }) { BaseAddress = Host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, token);
        return client;
    }

    private async Task RunningAsync(string name)
    {
        await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name, profile = "web" }), HttpStatusCode.Accepted);
        await EnvironmentCatalog.WaitForStateAsync(Alice.Client, "alice", name, "running");
    }

    [Fact]
    public async Task OtherUsersToken_AnyScope_RefusedByTheProxy()
    {
        await RunningAsync("files");
        using var bob = new Browser(Host.BaseAddress);
        await bob.LoginAsync("bob");
        foreach (var scope in new[] { "read-only", "environments" })
        {
            using var client = With(await TokenAsync(bob, "bob", $"t-{scope}", scope));
            var refused = await ApiAssert.ProblemAsync(await client.GetAsync(new Uri("/user/alice/files/notes.txt", UriKind.Relative)), HttpStatusCode.Forbidden);
            Assert.Contains("bob may not open alice/files", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task OwnersReadOnlyToken_ReadsButCannotWrite_WorkloadNeverSeesPlatformCredentials()
    {
        await RunningAsync("files");
        using var reader = With(await TokenAsync(Alice, "alice", "reader", "read-only"));
        var echo = await ApiAssert.OkAsync(await reader.GetAsync(new Uri("/user/alice/files/notes.txt", UriKind.Relative)));
        Assert.False(echo.GetProperty("headers").TryGetProperty("Authorization", out _), "a personal token must never reach a workload");
        var write = await ApiAssert.ProblemAsync(await reader.PostAsync(new Uri("/user/alice/files/api/contents", UriKind.Relative), new StringContent("{}")), HttpStatusCode.Forbidden);
        Assert.Contains("read-only", write.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var writer = With(await TokenAsync(Alice, "alice", "writer", "environments"), "token");
        var posted = await ApiAssert.OkAsync(await writer.PostAsync(new Uri("/user/alice/files/api/contents", UriKind.Relative), new StringContent("{}")));
        Assert.False(posted.GetProperty("headers").TryGetProperty("Authorization", out _));

        // The operator's admin token opens it (admins may), and is not handed to the workload either.
        var asOperator = await ApiAssert.OkAsync(await Admin.GetAsync(new Uri("/user/alice/files/x", UriKind.Relative)));
        Assert.False(asOperator.GetProperty("headers").TryGetProperty("Authorization", out _), "the operator's admin token must never reach a workload");
    }

    /// <summary>?token= as JupyterHub takes it (browser WebSockets cannot set headers); a token never lands in a redirect.</summary>
    [Fact]
    public async Task QueryToken_OpensLikeTheHeader_OnlyTheWorkloadsOwnTokenIsPassedOn_NoTokenInRedirects()
    {
        await RunningAsync("files");
        using var anonymous = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, UseCookies = false }) { BaseAddress = Host.BaseAddress };
        var personal = await TokenAsync(Alice, "alice", "ws", "environments");
        var echo = await ApiAssert.OkAsync(await anonymous.GetAsync(new Uri($"/user/alice/files/x?token={personal}&y=1", UriKind.Relative)));
        Assert.Equal("/user/alice/files/x?y=1", echo.GetProperty("path").GetString()); // a personal token is not the workload's to see

        var hubToken = echo.GetProperty("hubToken").GetString();
        var own = await ApiAssert.OkAsync(await anonymous.GetAsync(new Uri($"/user/alice/files/x?token={hubToken}", UriKind.Relative)));
        Assert.Equal($"/user/alice/files/x?token={hubToken}", own.GetProperty("path").GetString()); // its own token, as JupyterHub passes it

        using var bad = await anonymous.GetAsync(new Uri("/user/alice/files/x?token=dvp_notatoken&y=1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, bad.StatusCode);
        Assert.Equal("/hub/login?next=%2Fuser%2Falice%2Ffiles%2Fx%3Fy%3D1", bad.Headers.Location?.OriginalString);
        using var bare = await anonymous.GetAsync(new Uri($"/user/alice/files?token={personal}", UriKind.Relative));
        Assert.Equal("/user/alice/files/", bare.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task AdminUsersToken_OpensOthersOnlyWithAdminScope()
    {
        await RunningAsync("files");
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "root1", admin = true }), HttpStatusCode.Created);
        using var root = new Browser(Host.BaseAddress);
        await root.LoginAsync("root1");
        using var narrow = With(await TokenAsync(root, "root1", "narrow", "environments"));
        await ApiAssert.ProblemAsync(await narrow.GetAsync(new Uri("/user/alice/files/x", UriKind.Relative)), HttpStatusCode.Forbidden);
        using var wide = With(await TokenAsync(root, "root1", "wide", "admin"));
        Assert.Equal(HttpStatusCode.OK, (await wide.GetAsync(new Uri("/user/alice/files/x", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task EnvironmentsOwnHubToken_OpensOnlyThatEnvironment()
    {
        await RunningAsync("files");
        await RunningAsync("code");
        var (page, _) = await Alice.FollowAsync("/user/alice/files/whoami");
        var serverToken = (await ApiAssert.OkAsync(page)).GetProperty("hubToken").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", serverToken);
        await using (var connection = new NpgsqlConnection(Host.ConnectionString))
        {
            await connection.OpenAsync();
            await using var read = new NpgsqlCommand("SELECT string_agg(spec::text || request::text || coalesce(backend_state::text, ''), ' ') FROM environments", connection);
            var stored = (string)(await read.ExecuteScalarAsync())!;
            Assert.DoesNotContain(serverToken, stored, StringComparison.Ordinal); // only its SHA-256 is kept
        }

        using var client = With(serverToken, "token");
        var own = await ApiAssert.OkAsync(await client.GetAsync(new Uri("/user/alice/files/x", UriKind.Relative)));
        Assert.Equal($"token {serverToken}", own.GetProperty("headers").GetProperty("Authorization").GetString()); // issued for this workload: it checks it itself
        var other = await ApiAssert.ProblemAsync(await client.GetAsync(new Uri("/user/alice/code/", UriKind.Relative)), HttpStatusCode.Forbidden);
        Assert.Contains("issued for another environment", other.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
