using System.Net;
using System.Net.Http.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Environments;

/// <summary>A stock jupyterhub-singleuser (Debian package jupyterhub) as an environment, unmodified.</summary>
public sealed class JupyterSingleUserTests
{
    private const string Program = "/usr/bin/jupyterhub-singleuser";

    [Fact]
    public async Task Owner_ReachesServerAfterOAuth_OtherUserRefused_ReportedActivityRecorded()
    {
        Assert.True(File.Exists(Program), $"{Program} is missing; install it with: sudo apt-get install -y jupyterhub");
        // The proxy's own activity flush is pushed out of the test's reach, so lastActivityAt can only come from the server's report.
        await using var host = await PlatformFactory.CreateLiveAsync(new Dictionary<string, string?> { ["Environments:ActivityFlushSeconds"] = "3600" });
        await EnvironmentCatalog.SeedAsync(host.CreateAdminClient());
        using var alice = new Browser(host.BaseAddress);
        await alice.LoginAsync("alice");
        await ApiAssert.OkAsync(await alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "nb", profile = "jupyter" }), HttpStatusCode.Accepted);
        await EnvironmentCatalog.WaitForStateAsync(alice.Client, "alice", "nb", "running", 90);

        var (tree, visited) = await alice.FollowAsync("/user/alice/nb/tree/");
        Assert.Equal(HttpStatusCode.OK, tree.StatusCode);
        Assert.Contains(visited, v => v.StartsWith("/hub/api/oauth2/authorize?client_id=jupyterhub-user-alice-nb&redirect_uri=%2Fuser%2Falice%2Fnb%2Foauth_callback", StringComparison.Ordinal));
        Assert.Contains(visited, v => v.StartsWith("/user/alice/nb/oauth_callback?code=", StringComparison.Ordinal));

        var status = await ApiAssert.OkAsync(await alice.Client.GetAsync(new Uri("/user/alice/nb/api/status", UriKind.Relative)));
        var started = status.GetProperty("started").GetDateTimeOffset();
        var reported = await Eventually.UntilAsync(
            async () => await alice.Client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/users/alice/environments/nb"),
            e => e.GetProperty("lastActivityAt").ValueKind != System.Text.Json.JsonValueKind.Null, TimeSpan.FromSeconds(30), "the server's activity report");
        Assert.Equal(started, reported.GetProperty("lastActivityAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1)); // its first activity report

        // Starting, signing in through OAuth and reporting activity refused nothing: the audit shows only real refusals.
        var refusals = await ApiAssert.OkAsync(await host.CreateAdminClient().GetAsync(new Uri("/api/audit?action=token-refused", UriKind.Relative)));
        Assert.Equal(0, refusals.GetProperty("total").GetInt32());

        // Jupyter's pages show the hub's logo; the console's pages a favicon.
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = host.BaseAddress };
        using (var logo = await anonymous.GetAsync(new Uri("/hub/logo", UriKind.Relative)))
        {
            Assert.Equal((HttpStatusCode.OK, "image/svg+xml"), (logo.StatusCode, logo.Content.Headers.ContentType?.MediaType));
        }

        using (var icon = await anonymous.GetAsync(new Uri("/favicon.ico", UriKind.Relative)))
        {
            Assert.Equal((HttpStatusCode.OK, "image/x-icon"), (icon.StatusCode, icon.Content.Headers.ContentType?.MediaType));
        }


        using var bob = new Browser(host.BaseAddress);
        await bob.LoginAsync("bob");
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.FollowAsync("/user/alice/nb/api/status")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.FollowAsync("/hub/api/oauth2/authorize?client_id=jupyterhub-user-alice-nb&redirect_uri=%2Fuser%2Falice%2Fnb%2Foauth_callback&response_type=code&state=x")).Response.StatusCode);

        await ApiAssert.OkAsync(await alice.Client.PostAsync(new Uri("/api/users/alice/environments/nb/stop", UriKind.Relative), null), HttpStatusCode.Accepted);
    }
}
