using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Security;

/// <summary>A loaded machine: one readiness probe gets no answer within the probe client's own timeout (5 s).</summary>
public sealed class SlowReadinessTests : LiveHostTest
{
    /// <summary>Answers its first request after 7 s, every later one at once.</summary>
    private const string SlowFirstAnswer = """
        import http.server, os, time
        first = [True]
        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if first[0]:
                    first[0] = False
                    time.sleep(7)
                self.send_response(200)
                self.send_header('Content-Length', '2')
                self.end_headers()
                self.wfile.write(b'ok')
        http.server.ThreadingHTTPServer(('127.0.0.1', int(os.environ['PORT'])), H).serve_forever()
        """;

    protected override Task SeedAsync() => EnvironmentCatalog.SeedAsync(Admin, null, EnvironmentCatalog.WebProfile("sluggish", startTimeoutSeconds: 60, command: ["python3", "-c", SlowFirstAnswer]));

    [Fact]
    public async Task ProbeOutlivesItsTimeout_IsAMiss_TheStartStillSucceeds()
    {
        await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "slow", profile = "sluggish" }), HttpStatusCode.Accepted);
        var environment = await EnvironmentCatalog.WaitForStateAsync(Alice.Client, "alice", "slow", "running", seconds: 60);
        Assert.Equal("running", environment.GetProperty("state").GetString());
        var events = await Alice.Client.GetFromJsonAsync<JsonElement>("/api/users/alice/environments/slow/events");
        Assert.DoesNotContain(events.EnumerateArray(), e => e.GetProperty("message").GetString()!.Contains("did not become ready", StringComparison.OrdinalIgnoreCase));
    }
}
