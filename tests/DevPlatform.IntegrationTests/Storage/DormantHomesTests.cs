using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;
using DevPlatform.Storage.Backups;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DevPlatform.IntegrationTests.Storage;

/// <summary>DANDI-style retention with a jumped clock: warned after 90 days without sign-in, archived after 120, back at the next launch.</summary>
public sealed class DormantHomesTests : LiveHostTest
{
    private readonly ShiftedClock clock = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Jobs:Enabled"] = "false", ["Storage:DormantWarnAfterDays"] = "90", ["Storage:DormantArchiveAfterDays"] = "120",
    };

    protected override Action<IServiceCollection> Services => s => s.AddSingleton<TimeProvider>(clock);

    [Fact]
    public async Task WarnedThenArchived_SigningInClearsTheWarning_TheNextLaunchBringsTheHomeBack()
    {
        var bobHome = Path.Combine(Host.Services.GetRequiredService<IConfiguration>()["Compute:Local:Root"]!, "homes", "bob");
        Directory.CreateDirectory(Path.Combine(bobHome, "thesis"));
        await File.WriteAllTextAsync(Path.Combine(bobHome, "thesis", "chapter1.tex"), "\\chapter{Introduction}\n");

        clock.Advance(TimeSpan.FromDays(91));
        Assert.Equal("2 user(s) with a home: warned 2, archived 0.", await PassAsync()); // alice signed in 91 days ago; bob never has
        using var alice = new Browser(Host.BaseAddress);
        await alice.LoginAsync("alice");
        Assert.Equal(JsonValueKind.Null, (await alice.Client.GetFromJsonAsync<JsonElement>("/api/me/storage")).GetProperty("homeArchivedAt").ValueKind);
        Assert.Equal("2 user(s) with a home: warned 0, archived 0.", await PassAsync());

        clock.Advance(TimeSpan.FromDays(30));
        Assert.Equal("2 user(s) with a home: warned 0, archived 1.", await PassAsync()); // bob: 121 days; alice: 30
        Assert.False(Directory.Exists(bobHome));
        var audit = (await Admin.GetFromJsonAsync<JsonElement>("/api/audit?resourceType=home&resourceName=bob")).GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(["archive", "warn"], audit);

        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users/bob/environments", new { name = "back", profile = "web" }), HttpStatusCode.Accepted);
        await EnvironmentCatalog.WaitForStateAsync(Admin, "bob", "back", "running");
        Assert.Equal("\\chapter{Introduction}\n", await File.ReadAllTextAsync(Path.Combine(bobHome, "thesis", "chapter1.tex")));
        var events = await Admin.GetFromJsonAsync<JsonElement>("/api/users/bob/environments/back/events");
        Assert.Contains(events.EnumerateArray(), e => e.GetProperty("message").GetString() == "Your home was archived after a long time without sign-in; restoring it first");
    }

    [Fact]
    public async Task BringBack_IntoAHomeWithAPlantedLink_FollowsNothing_AndKeepsBoth()
    {
        var homes = Path.Combine(Host.Services.GetRequiredService<IConfiguration>()["Compute:Local:Root"]!, "homes");
        var bobHome = Path.Combine(homes, "bob");
        Directory.CreateDirectory(Path.Combine(bobHome, "thesis"));
        await File.WriteAllTextAsync(Path.Combine(bobHome, "thesis", "chapter1.tex"), "\\chapter{Introduction}\n");
        clock.Advance(TimeSpan.FromDays(121));
        await PassAsync();
        Assert.False(Directory.Exists(bobHome));

        // While archived, bob (over SFTP) makes his home again with 'thesis' pointing at a folder he must not write to.
        var victim = TestFolders.Create("devplatform-victim-");
        Directory.CreateDirectory(bobHome);
        Directory.CreateSymbolicLink(Path.Combine(bobHome, "thesis"), victim);

        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users/bob/environments", new { name = "back", profile = "web" }), HttpStatusCode.Accepted);
        await EnvironmentCatalog.WaitForStateAsync(Admin, "bob", "back", "running");
        Assert.Empty(Directory.EnumerateFileSystemEntries(victim));
        Assert.Equal("\\chapter{Introduction}\n", await File.ReadAllTextAsync(Path.Combine(bobHome, "restored", "archived-home", "thesis", "chapter1.tex")));
        Assert.Empty(Directory.EnumerateDirectories(homes, ".restore-*"));
    }

    private async Task<string> PassAsync()
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DormantHomes>().PassAsync(default);
    }
}
