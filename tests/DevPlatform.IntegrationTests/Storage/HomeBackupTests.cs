using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DevPlatform.IntegrationTests.Storage;

/// <summary>Home snapshots round trip with checksums, restore into ~/restored without touching live files, refuse damaged archives, keep by count and age.</summary>
public sealed class HomeBackupTests : LiveHostTest
{
    private readonly ShiftedClock clock = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Jobs:Enabled"] = "false", ["Storage:Backups:KeepCount"] = "2", ["Storage:Backups:KeepDays"] = "1",
    };

    protected override Action<IServiceCollection> Services => s => s.AddSingleton<TimeProvider>(clock);

    protected override Task SeedAsync() => EnvironmentCatalog.SeedAsync(Admin, new { maxRunningEnvironmentsPerUser = 5, sharedFolders = new[] { "data" } });

    [Fact]
    public async Task Backup_ThenRestore_GivesBackTheSameBytes_BesideTheLiveFiles()
    {
        await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "nb", profile = "web" }), HttpStatusCode.Accepted);
        await EnvironmentCatalog.WaitForStateAsync(Alice.Client, "alice", "nb", "running"); // links the shared folder into the home
        var home = Path.Combine(Host.Services.GetRequiredService<IConfiguration>()["Compute:Local:Root"]!, "homes", "alice");
        Directory.CreateDirectory(Path.Combine(home, "project", "data"));
        var csv = RandomNumberGenerator.GetBytes(100_000);
        await File.WriteAllBytesAsync(Path.Combine(home, "project", "data", "a.csv"), csv);
        await File.WriteAllTextAsync(Path.Combine(home, "notes.md"), "# day one\n");
        await File.WriteAllTextAsync(Path.Combine(home, "shared", "lab", "data", "big-shared.bin"), "not part of alice's home");
        File.CreateSymbolicLink(Path.Combine(home, "link-in"), "notes.md");
        File.CreateSymbolicLink(Path.Combine(home, "link-out"), "/etc/passwd");

        var backup = await ApiAssert.OkAsync(await Alice.Client.PostAsync(new Uri("/api/users/alice/backups", UriKind.Relative), null), HttpStatusCode.Created);
        var id = backup.GetProperty("id").GetString()!;
        Assert.Matches("^[0-9a-f]{64}$", backup.GetProperty("sha256").GetString());
        await File.WriteAllTextAsync(Path.Combine(home, "notes.md"), "# day two, overwritten\n");
        File.Delete(Path.Combine(home, "project", "data", "a.csv"));

        var restored = await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync($"/api/users/alice/backups/{id}/restore", new { }));
        Assert.Equal($"restored/{id}", restored.GetProperty("into").GetString());
        var into = Path.Combine(home, "restored", id);
        Assert.Equal(SHA256.HashData(csv), SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(into, "project", "data", "a.csv"))));
        Assert.Equal("# day one\n", await File.ReadAllTextAsync(Path.Combine(into, "notes.md")));
        Assert.Equal("# day two, overwritten\n", await File.ReadAllTextAsync(Path.Combine(home, "notes.md"))); // live files untouched
        Assert.Equal("notes.md", new FileInfo(Path.Combine(into, "link-in")).LinkTarget);
        Assert.False(File.Exists(Path.Combine(into, "link-out")));
        var skipped = restored.GetProperty("skipped").EnumerateArray().Select(s => s.GetString()!).ToList();
        Assert.Contains(skipped, s => s.StartsWith("link-out: a symlink to /etc/passwd", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(into, "shared", "lab", "data", "big-shared.bin"))); // the shared folder's link was not followed into the backup

        Directory.Delete(into, recursive: true);
        var one = await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync($"/api/users/alice/backups/{id}/restore", new { path = "project/data" }));
        Assert.Equal(1, one.GetProperty("files").GetInt32());
        Assert.False(File.Exists(Path.Combine(into, "notes.md")));
        await ApiAssert.FieldErrorAsync(await Alice.Client.PostAsJsonAsync($"/api/users/alice/backups/{id}/restore", new { path = "../bob" }), "path");

        var archive = Path.Combine(Host.Services.GetRequiredService<IConfiguration>()["Storage:Backups:Directory"]!, "alice", id + ".tar.gz");
        await using (var damage = File.OpenWrite(archive))
        {
            damage.Seek(100, SeekOrigin.Begin);
            damage.WriteByte(0x42);
        }

        var refused = await ApiAssert.ProblemAsync(await Alice.Client.PostAsJsonAsync($"/api/users/alice/backups/{id}/restore", new { }), HttpStatusCode.Conflict);
        Assert.Contains("does not match its SHA-256", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_ThroughLinksAlicePlanted_NeverWritesOutsideHerHome_AndIsAudited()
    {
        var homes = Path.Combine(Host.Services.GetRequiredService<IConfiguration>()["Compute:Local:Root"]!, "homes");
        var (home, bobHome) = (Path.Combine(homes, "alice"), Path.Combine(homes, "bob"));
        Directory.CreateDirectory(home);
        Directory.CreateDirectory(bobHome);
        await File.WriteAllTextAsync(Path.Combine(home, "notes.txt"), "alice's notes\n");
        await File.WriteAllTextAsync(Path.Combine(bobHome, "notes.txt"), "bob's notes\n");
        var id = (await ApiAssert.OkAsync(await Alice.Client.PostAsync(new Uri("/api/users/alice/backups", UriKind.Relative), null), HttpStatusCode.Created)).GetProperty("id").GetString()!;

        // ~/restored is a link to bob's home: refused, bob's file untouched, the refusal audited.
        Directory.CreateSymbolicLink(Path.Combine(home, "restored"), bobHome);
        var refused = await ApiAssert.ProblemAsync(await Alice.Client.PostAsJsonAsync($"/api/users/alice/backups/{id}/restore", new { path = "notes.txt" }), HttpStatusCode.Conflict);
        Assert.Contains("restored is a symbolic link", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("bob's notes\n", await File.ReadAllTextAsync(Path.Combine(bobHome, "notes.txt")));
        Assert.Equal(["bob", "notes.txt"], Directory.EnumerateFileSystemEntries(homes, "*", SearchOption.AllDirectories).Where(p => p.StartsWith(bobHome, StringComparison.Ordinal)).Select(Path.GetFileName).Order());
        var audit = await Admin.GetFromJsonAsync<JsonElement>("/api/audit?resourceType=home&resourceName=alice");
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("action").GetString() == "restore-refused");

        // ~/restored/{id} is a link to a folder outside every home: the restore takes another name, the folder gets nothing.
        var outside = TestFolders.Create("devplatform-victim-");
        File.Delete(Path.Combine(home, "restored"));
        Directory.CreateDirectory(Path.Combine(home, "restored"));
        Directory.CreateSymbolicLink(Path.Combine(home, "restored", id), outside);
        var restored = await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync($"/api/users/alice/backups/{id}/restore", new { path = "notes.txt" }));
        Assert.Equal($"restored/{id}-2", restored.GetProperty("into").GetString());
        Assert.Equal("alice's notes\n", await File.ReadAllTextAsync(Path.Combine(home, "restored", $"{id}-2", "notes.txt")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.Empty(Directory.EnumerateDirectories(homes, ".restore-*")); // no staging folder left behind
    }

    [Fact]
    public async Task Retention_KeepsTheNewestByCount_AndDropsOlderOnesPastTheAge()
    {
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await ApiAssert.OkAsync(await Admin.PostAsync(new Uri("/api/users/bob/backups", UriKind.Relative), null), HttpStatusCode.Created)).GetProperty("id").GetString()!);
            clock.Advance(TimeSpan.FromHours(13)); // 0, 13, 26, 39 hours
        }

        var kept = (await Admin.GetFromJsonAsync<JsonElement>("/api/users/bob/backups")).EnumerateArray().Select(b => b.GetProperty("id").GetString()).ToList();
        Assert.Equal([ids[3], ids[2]], kept); // the two newest; the older two are more than a day old
        Assert.Equal(HttpStatusCode.Forbidden, (await Alice.Client.GetAsync(new Uri("/api/users/bob/backups", UriKind.Relative))).StatusCode);
    }
}
