using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;
using DevPlatform.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DevPlatform.IntegrationTests.Storage;

/// <summary>
/// A group policy with home quotas, a shared folder and a scratch folder, against real environments on the local
/// backend: folders linked into the home, a scan that warns once at the soft limit, launches refused over the hard
/// limit until the files are gone, usage for the user and the admin, and a scratch clean-up dry run then for real.
/// </summary>
public sealed class StorageQuotaTests : LiveHostTest
{
    protected override Task SeedAsync() => EnvironmentCatalog.SeedAsync(Admin, new
    {
        maxRunningEnvironmentsPerUser = 5, homeSoftQuota = "512Ki", homeQuota = "1Mi", sharedFolders = new[] { "data" }, scratchRetentionDays = 30, storageQuota = "10Mi",
    });

    [Fact]
    public async Task OverTheHomeLimit_WarnedOnce_LaunchesRefused_UntilCleanedUp()
    {
        await LaunchAsync("nb");
        var home = Path.Combine(Root(), "homes", "alice");
        Assert.Equal(Path.Combine(Root(), "groups", "lab", "shared", "data"), new FileInfo(Path.Combine(home, "shared", "lab", "data")).LinkTarget);
        Assert.Equal(Path.Combine(Root(), "groups", "lab", "scratch"), new FileInfo(Path.Combine(home, "scratch", "lab")).LinkTarget);
        await File.WriteAllBytesAsync(Path.Combine(home, "dataset.bin"), new byte[2 << 20].Select((_, i) => (byte)i).ToArray());
        await File.WriteAllBytesAsync(Path.Combine(home, "shared", "lab", "data", "shared.bin"), new byte[3 << 20].Select((_, i) => (byte)(i * 7)).ToArray());

        Assert.EndsWith("1 soft-limit warning(s).", await ScanAsync(), StringComparison.Ordinal);
        Assert.Contains("Your home uses 2 MiB, past its soft limit of 512 KiB; at 1 MiB new launches are refused. Delete what you no longer need.", await MessagesAsync("nb"));
        var mine = await Alice.Client.GetFromJsonAsync<JsonElement>("/api/me/storage");
        Assert.InRange(mine.GetProperty("home").GetProperty("bytes").GetInt64(), 2 << 20, (2 << 20) + (512 << 10)); // the shared file behind the link is not the home's
        Assert.True(mine.GetProperty("home").GetProperty("overHard").GetBoolean());
        var lab = Assert.Single(mine.GetProperty("groups").EnumerateArray());
        Assert.InRange(lab.GetProperty("bytes").GetInt64(), 3 << 20, (3 << 20) + (512 << 10));
        Assert.False(lab.GetProperty("overHard").GetBoolean());

        var refused = await ApiAssert.ProblemAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "more", profile = "web" }), HttpStatusCode.Conflict);
        Assert.Equal("homeQuota", refused.GetProperty("limit").GetString());
        Assert.StartsWith("Your home uses 2 MiB, over its limit of 1 MiB.", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("0 soft-limit warning(s).", await ScanAsync(), StringComparison.Ordinal); // once per crossing

        var largest = (await Admin.GetFromJsonAsync<JsonElement>("/api/storage/usage")).GetProperty("items")[0];
        Assert.Equal("shared lab data", $"{largest.GetProperty("kind").GetString()} {largest.GetProperty("owner").GetString()} {largest.GetProperty("folder").GetString()}");

        File.Delete(Path.Combine(home, "dataset.bin"));
        await ScanAsync();
        await LaunchAsync("more");
    }

    [Fact]
    public async Task ScratchCleanup_DryRunFirst_ThenRemovesExpiredFiles_Audited()
    {
        await LaunchAsync("nb");
        var scratch = Path.Combine(Root(), "homes", "alice", "scratch", "lab");
        await File.WriteAllTextAsync(Path.Combine(scratch, "old.csv"), "1,2,3");
        File.SetLastWriteTimeUtc(Path.Combine(scratch, "old.csv"), DateTime.UtcNow.AddDays(-31));
        await File.WriteAllTextAsync(Path.Combine(scratch, "new.csv"), "4,5,6");

        var dry = Assert.Single((await ApiAssert.OkAsync(await Admin.PostAsync(new Uri("/api/storage/scratch/cleanup?group=lab", UriKind.Relative), null))).EnumerateArray());
        Assert.Equal(["old.csv"], dry.GetProperty("result").GetProperty("removed").EnumerateArray().Select(r => r.GetString()));
        Assert.True(dry.GetProperty("result").GetProperty("dryRun").GetBoolean());
        Assert.True(File.Exists(Path.Combine(scratch, "old.csv")));

        await ApiAssert.OkAsync(await Admin.PostAsync(new Uri("/api/storage/scratch/cleanup?group=lab&dryRun=false", UriKind.Relative), null));
        Assert.False(File.Exists(Path.Combine(scratch, "old.csv")));
        Assert.True(File.Exists(Path.Combine(scratch, "new.csv")));
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.PostAsync(new Uri("/api/storage/scratch/cleanup?group=nosuch", UriKind.Relative), null)).StatusCode);
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/groups", new { name = "plain" }), HttpStatusCode.Created);
        Assert.Contains("set scratchRetentionDays", (await ApiAssert.ProblemAsync(await Admin.PostAsync(new Uri("/api/storage/scratch/cleanup?group=plain", UriKind.Relative), null), HttpStatusCode.Conflict)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var audit = Assert.Single((await Admin.GetFromJsonAsync<JsonElement>("/api/audit?resourceType=scratch")).GetProperty("items").EnumerateArray());
        Assert.Equal("lab", audit.GetProperty("resourceName").GetString());
        Assert.Contains("old.csv", audit.GetProperty("after").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherGroupsOpenSharedFolders_AreLinkedIntoNonMembersEnvironments()
    {
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/groups", new { name = "astro" }), HttpStatusCode.Created);
        await ApiAssert.OkAsync(await Admin.PutAsJsonAsync("/api/groups/astro/policy", new { sharedFolders = new[] { "catalog" }, sharedFoldersReadableByAll = true }));
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/groups", new { name = "closed" }), HttpStatusCode.Created);
        await ApiAssert.OkAsync(await Admin.PutAsJsonAsync("/api/groups/closed/policy", new { sharedFolders = new[] { "secrets" } }));
        await LaunchAsync("nb");
        var home = Path.Combine(Root(), "homes", "alice");
        Assert.Equal(Path.Combine(Root(), "groups", "astro", "shared", "catalog"), new FileInfo(Path.Combine(home, "shared", "astro", "catalog")).LinkTarget);
        Assert.False(Path.Exists(Path.Combine(home, "shared", "closed"))); // not a member, not opened
    }

    private string Root() => Host.Services.GetRequiredService<IConfiguration>()["Compute:Local:Root"]!;

    private async Task<string> ScanAsync()
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<StorageScanner>().ScanAllAsync(default);
    }

    private async Task LaunchAsync(string name)
    {
        await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name, profile = "web" }), HttpStatusCode.Accepted);
        await EnvironmentCatalog.WaitForStateAsync(Alice.Client, "alice", name, "running");
    }

    private async Task<List<string>> MessagesAsync(string name) =>
        (await Alice.Client.GetFromJsonAsync<JsonElement>($"/api/users/alice/environments/{name}/events")).EnumerateArray().Select(e => e.GetProperty("message").GetString()!).ToList();
}
