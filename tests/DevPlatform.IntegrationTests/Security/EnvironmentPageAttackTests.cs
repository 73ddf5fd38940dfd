using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DevPlatform.IntegrationTests.Security;

/// <summary>
/// A page alice's environment serves, opened in real Chromium by an admin: in path mode it shares the hub's origin,
/// so it must not be able to act with the admin's session. And no other site may make signed-in changes.
/// </summary>
public sealed class EnvironmentPageAttackTests : ChromiumHostTest
{
    /// <summary>Serves any file of the home named by the last path segment, as a file browser or a static site would.</summary>
    private const string FileServer = """
        import http.server, os, sys
        home = sys.argv[1]
        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                path = os.path.join(home, self.path.split('?')[0].rsplit('/', 1)[-1] or 'index.html')
                data = open(path, 'rb').read() if os.path.isfile(path) else b'missing'
                self.send_response(200 if os.path.isfile(path) else 404)
                self.send_header('Content-Type', 'text/html')
                self.send_header('Content-Length', str(len(data)))
                self.end_headers()
                self.wfile.write(data)
        http.server.ThreadingHTTPServer(('127.0.0.1', int(os.environ['PORT'])), H).serve_forever()
        """;

    private const string EvilPage = """
        <!doctype html><title>loading</title><script>
        (async () => {
          const result = {};
          try {
            const r = await fetch('/api/users/alice', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'alice', admin: true }) });
            result.put = r.status;
          } catch (e) { result.put = 'blocked'; }
          try { result.console = (await (await fetch('/api/users')).text()).includes('alice') ? 'read' : 'not read'; } catch (e) { result.console = 'blocked'; }
          document.title = 'done ' + JSON.stringify(result);
        })();
        </script>
        """;

    protected override Task SeedAsync() => EnvironmentCatalog.SeedAsync(Admin, null, EnvironmentCatalog.WebProfile("files", command: ["python3", "-c", FileServer, "{home}"]));

    [Fact]
    public async Task HostilePage_OpenedByAnAdmin_CannotActAsTheAdmin()
    {
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "root1", admin = true }), HttpStatusCode.Created);
        await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "files", profile = "files" }), HttpStatusCode.Accepted);
        await EnvironmentCatalog.WaitForStateAsync(Alice.Client, "alice", "files", "running");
        var home = Path.Combine(Host.Services.GetRequiredService<IConfiguration>()["Compute:Local:Root"]!, "homes", "alice");
        await File.WriteAllTextAsync(Path.Combine(home, "evil.html"), EvilPage);

        var admin = await Chromium.SignInAsync(Host.BaseAddress, "root1");
        await admin.GotoAsync("/user/alice/files/evil.html");
        await admin.WaitForFunctionAsync("document.title.startsWith('done')");
        var title = await admin.TitleAsync();
        Assert.DoesNotContain("\"put\":200", title, StringComparison.Ordinal);
        Assert.DoesNotContain("\"console\":\"read\"", title, StringComparison.Ordinal);
        var alice = await Admin.GetFromJsonAsync<JsonElement>("/api/users/alice");
        Assert.False(alice.GetProperty("admin").GetBoolean(), $"the page made alice an admin: {title}");

        // The same page opened by its owner runs as the owner, who may not make herself admin either.
        var own = await Chromium.SignInAsync(Host.BaseAddress, "alice");
        await own.GotoAsync("/user/alice/files/evil.html");
        await own.WaitForFunctionAsync("document.title.startsWith('done')");
        Assert.Contains("\"put\":403", await own.TitleAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedInWrite_FromAnotherSite_Refused()
    {
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "root1", admin = true }), HttpStatusCode.Created);
        using var root = new Browser(Host.BaseAddress);
        await root.LoginAsync("root1");
        foreach (var (header, value) in new[] { ("Origin", "http://evil.example"), ("Sec-Fetch-Site", "cross-site"), ("Sec-Fetch-Site", "same-site"), ("Origin", "null") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, "/api/users/alice") { Content = JsonContent.Create(new { name = "alice", admin = true }) };
            request.Headers.TryAddWithoutValidation(header, value);
            var refused = await ApiAssert.ProblemAsync(await root.Client.SendAsync(request), HttpStatusCode.Forbidden);
            Assert.Equal("Cross-origin request refused.", refused.GetProperty("title").GetString());
        }

        Assert.False((await Admin.GetFromJsonAsync<JsonElement>("/api/users/alice")).GetProperty("admin").GetBoolean());
        using var same = new HttpRequestMessage(HttpMethod.Put, "/api/users/alice") { Content = JsonContent.Create(new { name = "alice", displayName = "Alice" }) };
        same.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "same-origin");
        await ApiAssert.OkAsync(await root.Client.SendAsync(same)); // the console's own pages still work
    }
}
