using System.Net;
using System.Net.Http.Json;
using System.Xml.Linq;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Access;

/// <summary>
/// DNS records in Route 53 (a local endpoint verifying SigV4 and answering as the API reference shows): the hub, SFTP
/// and one record per environment created in one UPSERT batch, paged listing, throttling retried, stale records
/// deleted with their exact values, records not owned left alone, a wrong secret refused.
/// </summary>
public sealed class Route53DnsTests : IAsyncLifetime
{
    private static readonly XNamespace Ns = "https://route53.amazonaws.com/doc/2013-04-01/";
    private FakeRoute53 route53 = null!;

    public async Task InitializeAsync()
    {
        route53 = await FakeRoute53.StartAsync();
        route53.Put("example.org", "SOA", 900, "ns-1.awsdns-01.org. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400");
        route53.Put("example.org", "NS", 172800, "ns-1.awsdns-01.org.");
        route53.Put("taken.example.org", "A", 60, "192.0.2.98");
        route53.Put("www.example.org", "CNAME", 60, "elsewhere.example.net");
    }

    public async Task DisposeAsync() => await route53.DisposeAsync();

    [Fact]
    public async Task HubSftpAndEnvironmentRecords_AreKeptInStep_InSignedBatches()
    {
        await using var host = await PlatformFactory.CreateLiveAsync(Settings(FakeAwsEndpoint.SecretKey));
        var admin = host.CreateAdminClient();
        await EnvironmentCatalog.SeedAsync(admin);
        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/users/alice/environments", new { name = "nb", profile = "web" }), HttpStatusCode.Accepted);

        route53.ThrottleNext(1);
        var applied = await ApiAssert.OkAsync(await admin.PostAsync(new Uri("/api/dns/reconcile", UriKind.Relative), null));
        Assert.StartsWith("zone example.org: created 3, updated 0, deleted 0, unchanged 0; left alone (not ours): taken.example.org", applied.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal((300, ["192.0.2.10"]), Flatten(route53.Get("hub.example.org", "A")));
        Assert.Equal((300, ["hub.example.org"]), Flatten(route53.Get("sftp.example.org", "CNAME")));
        Assert.Equal((300, ["hub.example.org"]), Flatten(route53.Get("nb-alice.envs.example.org", "CNAME")));
        Assert.Equal((300, ["\"heritage=devplatform,devplatform/owner=test\""]), Flatten(route53.Get("_devplatform-owner.nb-alice.envs.example.org", "TXT")));
        Assert.Equal((60, ["192.0.2.98"]), Flatten(route53.Get("taken.example.org", "A")));
        Assert.Equal((60, ["elsewhere.example.net"]), Flatten(route53.Get("www.example.org", "CNAME")));

        var requests = route53.Requests.ToList();
        Assert.True(requests.Count(r => r.StartsWith($"GET /2013-04-01/hostedzone/{FakeRoute53.ZoneId}/rrset?maxitems=300", StringComparison.Ordinal)) > 1, "the listing is paged");
        Assert.EndsWith(" 400", requests[0], StringComparison.Ordinal); // throttled, then retried with back-off
        Assert.Equal(requests[0][..^4] + " 200", requests[1]);
        Assert.Equal([$"POST /2013-04-01/hostedzone/{FakeRoute53.ZoneId}/rrset/ 200"], requests.Where(r => r.StartsWith("POST", StringComparison.Ordinal)));
        var batch = Assert.Single(route53.Batches);
        Assert.All(batch.Descendants(Ns + "Action"), a => Assert.Equal("UPSERT", a.Value));
        Assert.Contains(batch.Descendants(Ns + "Name"), n => n.Value == "hub.example.org.");

        // The environment goes: its record and marker are deleted with the values Route 53 holds.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(new Uri("/api/users/alice/environments/nb", UriKind.Relative))).StatusCode);
        var cleaned = await ApiAssert.OkAsync(await admin.PostAsync(new Uri("/api/dns/reconcile", UriKind.Relative), null));
        Assert.StartsWith("zone example.org: created 0, updated 0, deleted 1, unchanged 2", cleaned.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Null(route53.Get("nb-alice.envs.example.org", "CNAME"));
        Assert.Null(route53.Get("_devplatform-owner.nb-alice.envs.example.org", "TXT"));
        Assert.All(route53.Batches.Last().Descendants(Ns + "Action"), a => Assert.Equal("DELETE", a.Value));
        Assert.NotNull(route53.Get("hub.example.org", "A"));
    }

    [Fact]
    public async Task AWrongSecret_IsRefusedWithTheServicesReason()
    {
        await using var host = await PlatformFactory.CreateAsync(Settings("not-the-secret"));
        var problem = await ApiAssert.ProblemAsync(await host.CreateAdminClient().GetAsync(new Uri("/api/dns", UriKind.Relative)), HttpStatusCode.BadGateway);
        Assert.Contains("SignatureDoesNotMatch", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", problem.GetRawText(), StringComparison.Ordinal);
        Assert.Empty(route53.Batches);
    }

    private static (int, List<string>)? Flatten((int Ttl, List<string> Values)? set) => set is { } s ? (s.Ttl, s.Values) : null;

    private Dictionary<string, string?> Settings(string secret) => new()
    {
        ["Dns:Provider"] = "route53", ["Dns:Zone"] = "example.org", ["Dns:Owner"] = "test",
        ["Jobs:Enabled"] = "false", // the test applies; a dns-reconcile firing at a five-minute boundary would apply first
        ["Dns:Route53:HostedZoneId"] = FakeRoute53.ZoneId, ["Dns:Route53:ServiceUrl"] = route53.Endpoint.ToString(),
        ["Dns:Route53:AccessKeyId"] = FakeAwsEndpoint.AccessKey, ["Dns:Route53:SecretAccessKey"] = secret, ["Dns:Route53:RetryBaseMilliseconds"] = "10",
        ["Dns:Records:0:Name"] = "hub.example.org", ["Dns:Records:0:Type"] = "A", ["Dns:Records:0:Value"] = "192.0.2.10",
        ["Dns:Records:1:Name"] = "sftp.example.org", ["Dns:Records:1:Type"] = "CNAME", ["Dns:Records:1:Value"] = "hub.example.org",
        ["Dns:Records:2:Name"] = "taken.example.org", ["Dns:Records:2:Type"] = "A", ["Dns:Records:2:Value"] = "192.0.2.11",
        ["Dns:Environments:Enabled"] = "true", ["Dns:Environments:Target"] = "hub.example.org",
    };
}
