using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Access;

/// <summary>
/// DNS records kept by the platform in a real BIND 9 through RFC 2136 updates signed with TSIG, seen with the real dig:
/// created, updated and deleted; records the platform does not own are left alone; a wrong key is refused and reported.
/// </summary>
public sealed class Rfc2136DnsTests : IAsyncLifetime
{
    private BindServer bind = null!;

    public async Task InitializeAsync() => bind = await BindServer.StartAsync("www IN A 192.0.2.99", "taken IN A 192.0.2.98");

    public async Task DisposeAsync() => await bind.DisposeAsync();

    [Fact]
    public async Task Records_AreCreatedUpdatedAndDeleted_AndRecordsNotOwnedAreLeftAlone()
    {
        await using (var first = await PlatformFactory.CreateAsync(Settings(bind.KeySecret, ("hub", "A", "192.0.2.10"), ("sftp", "CNAME", "hub.example.test"), ("taken", "A", "192.0.2.11"))))
        {
            var admin = first.CreateAdminClient();
            var plan = await admin.GetFromJsonAsync<JsonElement>("/api/dns");
            Assert.DoesNotContain(Changes(plan), c => c.Contains("taken", StringComparison.Ordinal));
            Assert.Contains("upsert hub.example.test A 192.0.2.10", Changes(plan));
            Assert.Contains(plan.GetProperty("leftAlone").EnumerateArray(), l => l.GetString()!.StartsWith("taken.example.test", StringComparison.Ordinal));
            Assert.Equal("", await bind.DigAsync("hub.example.test", "A")); // a plan changes nothing

            var applied = await ApiAssert.OkAsync(await admin.PostAsync(new Uri("/api/dns/reconcile", UriKind.Relative), null));
            Assert.StartsWith("zone example.test: created 2, updated 0, deleted 0, unchanged 0; left alone", applied.GetProperty("summary").GetString(), StringComparison.Ordinal);
            Assert.Equal("192.0.2.10", await bind.DigAsync("hub.example.test", "A"));
            Assert.Equal("hub.example.test.", await bind.DigAsync("sftp.example.test", "CNAME"));
            Assert.Equal("\"heritage=devplatform,devplatform/owner=test\"", await bind.DigAsync("_devplatform-owner.hub.example.test", "TXT"));
            Assert.Equal("192.0.2.98", await bind.DigAsync("taken.example.test", "A")); // someone else's record, not overwritten
            Assert.Equal("", await bind.DigAsync("_devplatform-owner.taken.example.test", "TXT"));

            var again = await ApiAssert.OkAsync(await admin.PostAsync(new Uri("/api/dns/reconcile", UriKind.Relative), null));
            Assert.Empty(again.GetProperty("changes").EnumerateArray());
            Assert.StartsWith("zone example.test: created 0, updated 0, deleted 0, unchanged 2", again.GetProperty("summary").GetString(), StringComparison.Ordinal);
        }

        // The operator moves the hub and drops the SFTP record.
        await using var second = await PlatformFactory.CreateAsync(Settings(bind.KeySecret, ("hub", "A", "192.0.2.20")));
        var result = await ApiAssert.OkAsync(await second.CreateAdminClient().PostAsync(new Uri("/api/dns/reconcile", UriKind.Relative), null));
        Assert.Equal("zone example.test: created 0, updated 1, deleted 1, unchanged 0", result.GetProperty("summary").GetString());
        Assert.Equal("192.0.2.20", await bind.DigAsync("hub.example.test", "A"));
        Assert.Equal("", await bind.DigAsync("sftp.example.test", "CNAME"));
        Assert.Equal("", await bind.DigAsync("_devplatform-owner.sftp.example.test", "TXT"));
        Assert.Equal("192.0.2.99", await bind.DigAsync("www.example.test", "A"));
        Assert.Equal("192.0.2.98", await bind.DigAsync("taken.example.test", "A"));
    }

    [Fact]
    public async Task AWrongKey_IsRefusedByTheServer_AndReportedToTheAdminAndInTheJobHistory()
    {
        var settings = Settings(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), ("hub", "A", "192.0.2.10"));
        settings["Jobs:Enabled"] = "true"; // this one runs the job: a firing of its own is the same failure
        await using var host = await PlatformFactory.CreateAsync(settings);
        var admin = host.CreateAdminClient();
        var problem = await ApiAssert.ProblemAsync(await admin.PostAsync(new Uri("/api/dns/reconcile", UriKind.Relative), null), HttpStatusCode.BadGateway);
        Assert.Contains($"The server refused the signature with key '{BindServer.KeyName}': BADSIG", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("", await bind.DigAsync("hub.example.test", "A"));

        await ApiAssert.OkAsync(await admin.PostAsync(new Uri("/api/jobs/dns-reconcile/run", UriKind.Relative), null), HttpStatusCode.Accepted);
        var run = await Eventually.UntilAsync(
            async () => (await admin.GetFromJsonAsync<JsonElement>("/api/jobs/dns-reconcile/runs")).GetProperty("items").EnumerateArray().FirstOrDefault(),
            r => r.ValueKind == JsonValueKind.Object && r.GetProperty("outcome").GetString() != "running", TimeSpan.FromSeconds(30), "the dns-reconcile run");
        Assert.Equal("failed", run.GetProperty("outcome").GetString());
        Assert.Contains("BADSIG", run.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    private static List<string> Changes(JsonElement plan) => plan.GetProperty("changes").EnumerateArray()
        .Select(c => $"{c.GetProperty("action").GetString()} {c.GetProperty("name").GetString()} {c.GetProperty("type").GetString()} {string.Join(',', c.GetProperty("values").EnumerateArray().Select(v => v.GetString()))}")
        .ToList();

    private Dictionary<string, string?> Settings(string secret, params (string Name, string Type, string Value)[] records)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Dns:Provider"] = "rfc2136", ["Dns:Zone"] = BindServer.Zone, ["Dns:Owner"] = "test",
            ["Dns:Rfc2136:Server"] = "127.0.0.1", ["Dns:Rfc2136:Port"] = bind.Port.ToString(CultureInfo.InvariantCulture),
            ["Dns:Rfc2136:KeyName"] = BindServer.KeyName, ["Dns:Rfc2136:KeySecret"] = secret,
            ["Jobs:Enabled"] = "false", // the test applies; a dns-reconcile firing at a five-minute boundary would apply first
        };
        for (var i = 0; i < records.Length; i++)
        {
            settings[$"Dns:Records:{i}:Name"] = $"{records[i].Name}.{BindServer.Zone}";
            settings[$"Dns:Records:{i}:Type"] = records[i].Type;
            settings[$"Dns:Records:{i}:Value"] = records[i].Value;
        }

        return settings;
    }
}
