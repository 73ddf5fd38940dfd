using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Access;

/// <summary>
/// SFTP through AWS Transfer Family (a local endpoint verifying SigV4 and answering as the API reference shows):
/// service-managed users follow the platform's users and keys at once, drift is repaired by the sftp-sync job,
/// disabled users lose their account, users the platform did not create are left alone.
/// </summary>
public sealed class TransferFamilySftpTests : IAsyncLifetime, IDisposable
{
    private const string FileSystem = "fs-0123456789abcdef0";
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("devplatform-transfer-");
    private FakeTransfer transfer = null!;

    public async Task InitializeAsync() => transfer = await FakeTransfer.StartAsync();

    public async Task DisposeAsync() => await transfer.DisposeAsync();

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public async Task Accounts_FollowUsersAndKeys_DriftIsRepaired_AndOthersAreLeftAlone()
    {
        transfer.Edit("legacy-user", u => u["Role"] = "arn:aws:iam::111122223333:role/legacy");
        await using var host = await PlatformFactory.CreateAsync(Settings(FakeAwsEndpoint.SecretKey));
        var admin = host.CreateAdminClient();
        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/users", new { name = "alice" }), HttpStatusCode.Created);
        Assert.Null(transfer.User("alice")); // no key, no account

        var (_, laptop) = await SshKeyFiles.NewAsync(folder.FullName);
        transfer.ThrottleNext(1);
        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/users/alice/ssh-keys", new { name = "laptop", publicKey = laptop }), HttpStatusCode.Created);
        var alice = transfer.User("alice")!;
        Assert.Equal("LOGICAL", alice["HomeDirectoryType"]!.GetValue<string>());
        Assert.Equal("""[{"Entry":"/","Target":"/fs-0123456789abcdef0/homes/alice"}]""", alice["HomeDirectoryMappings"]!.ToJsonString());
        Assert.Equal("""{"Uid":1000,"Gid":100}""", alice["PosixProfile"]!.ToJsonString());
        Assert.Equal([Material(laptop)], Keys(alice));
        Assert.Contains("TransferService.DescribeUser 400", transfer.Requests); // throttled once, retried

        var (_, desktop) = await SshKeyFiles.NewAsync(folder.FullName);
        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/users/alice/ssh-keys", new { name = "desktop", publicKey = desktop }), HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(new Uri("/api/users/alice/ssh-keys/laptop", UriKind.Relative))).StatusCode);
        Assert.Equal([Material(desktop)], Keys(transfer.User("alice")!));

        // Someone widens alice's home in the console and drops her key; the job puts it back.
        transfer.Edit("alice", u =>
        {
            u["HomeDirectoryMappings"] = JsonNode.Parse($$"""[{"Entry":"/","Target":"/{{FileSystem}}"}]""");
            u["SshPublicKeys"] = new JsonArray();
        });
        var summary = await RunSyncAsync(admin);
        Assert.Equal("AWS Transfer Family: created 0, updated 1, deleted 0, unchanged 0; left alone (not ours): legacy-user.", summary);
        Assert.Equal("/fs-0123456789abcdef0/homes/alice", transfer.User("alice")!["HomeDirectoryMappings"]![0]!["Target"]!.GetValue<string>());
        Assert.Equal([Material(desktop)], Keys(transfer.User("alice")!));

        await ApiAssert.OkAsync(await admin.PutAsJsonAsync("/api/users/alice", new { name = "alice", disabled = true }));
        Assert.Null(transfer.User("alice"));
        Assert.NotNull(transfer.User("legacy-user"));
        Assert.Equal("AWS Transfer Family: created 0, updated 0, deleted 0, unchanged 0; left alone (not ours): legacy-user.", await RunSyncAsync(admin));
    }

    [Fact]
    public async Task AWrongSecret_LeavesTheKeyStored_AndTheJobReportsWhy()
    {
        await using var host = await PlatformFactory.CreateAsync(Settings("not-the-secret"));
        var admin = host.CreateAdminClient();
        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/users", new { name = "alice" }), HttpStatusCode.Created);
        var (_, laptop) = await SshKeyFiles.NewAsync(folder.FullName);
        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/users/alice/ssh-keys", new { name = "laptop", publicKey = laptop }), HttpStatusCode.Created);
        Assert.Null(transfer.User("alice"));

        var run = await RunAsync(admin);
        Assert.Equal("failed", run.GetProperty("outcome").GetString());
        Assert.Contains("SignatureDoesNotMatch", run.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", run.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    private static async Task<string> RunSyncAsync(HttpClient admin)
    {
        var run = await RunAsync(admin);
        Assert.Equal("succeeded", run.GetProperty("outcome").GetString());
        return run.GetProperty("summary").GetString()!;
    }

    /// <summary>Runs sftp-sync now and returns the run once finished.</summary>
    private static async Task<JsonElement> RunAsync(HttpClient admin)
    {
        var before = (await admin.GetFromJsonAsync<JsonElement>("/api/jobs/sftp-sync/runs")).GetProperty("items").GetArrayLength();
        await ApiAssert.OkAsync(await admin.PostAsync(new Uri("/api/jobs/sftp-sync/run", UriKind.Relative), null), HttpStatusCode.Accepted);
        var runs = await Eventually.UntilAsync(
            async () => (await admin.GetFromJsonAsync<JsonElement>("/api/jobs/sftp-sync/runs")).GetProperty("items"),
            runs => runs.GetArrayLength() > before && runs[0].GetProperty("outcome").GetString() != "running", TimeSpan.FromSeconds(30), "the sftp-sync run");
        return runs[0];
    }

    private static string Material(string line) => string.Join(' ', line.Split(' ').Take(2));

    private static List<string> Keys(JsonObject user) => user["SshPublicKeys"]!.AsArray().Select(k => Material(k!["SshPublicKeyBody"]!.GetValue<string>())).ToList();

    private Dictionary<string, string?> Settings(string secret) => new()
    {
        ["Sftp:Provider"] = "transfer-family", ["Sftp:Host"] = $"{FakeTransfer.ServerId}.server.transfer.eu-west-1.amazonaws.com",
        ["Sftp:TransferFamily:ServerId"] = FakeTransfer.ServerId, ["Sftp:TransferFamily:Role"] = "arn:aws:iam::111122223333:role/devplatform-sftp",
        ["Sftp:TransferFamily:FileSystemId"] = FileSystem, ["Sftp:TransferFamily:Region"] = transfer.Region,
        ["Sftp:TransferFamily:ServiceUrl"] = transfer.Endpoint.ToString(), ["Sftp:TransferFamily:AccessKeyId"] = FakeAwsEndpoint.AccessKey,
        ["Sftp:TransferFamily:SecretAccessKey"] = secret, ["Sftp:TransferFamily:RetryBaseMilliseconds"] = "10",
    };
}
