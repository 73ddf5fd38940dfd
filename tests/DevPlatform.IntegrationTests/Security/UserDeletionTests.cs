using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;
using DevPlatform.Storage.Backups;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DevPlatform.IntegrationTests.Security;

/// <summary>A deleted account's files never reach the next account of that name; backups are private.</summary>
public sealed class UserDeletionTests : LiveHostTest
{
    private readonly ShiftedClock clock = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" };

    protected override Action<IServiceCollection> Services => s => s.AddSingleton<TimeProvider>(clock);

    [Fact]
    public async Task DeletedUser_NewAccountOfTheSameName_InheritsNoHomeAndNoBackups_RetiredHomePurgedAfterGrace()
    {
        var configuration = Host.Services.GetRequiredService<IConfiguration>();
        var home = Path.Combine(configuration["Compute:Local:Root"]!, "homes", "zed");
        var backupsRoot = configuration["Storage:Backups:Directory"]!;
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "zed" }), HttpStatusCode.Created);
        Directory.CreateDirectory(home);
        await File.WriteAllTextAsync(Path.Combine(home, "secret.txt"), "zed's private notes");
        var id = (await ApiAssert.OkAsync(await Admin.PostAsync(new Uri("/api/users/zed/backups", UriKind.Relative), null), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(backupsRoot, "zed", id + ".tar.gz")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(backupsRoot, "zed")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(backupsRoot));

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync(new Uri("/api/users/zed", UriKind.Relative))).StatusCode);
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "zed" }), HttpStatusCode.Created);
        Assert.Empty((await Admin.GetFromJsonAsync<JsonElement>("/api/users/zed/backups")).EnumerateArray());
        Assert.False(File.Exists(Path.Combine(home, "secret.txt")));

        var kept = Assert.Single(Directory.GetFiles(Path.Combine(backupsRoot, HomeBackups.RetiredFolder)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(kept)); // kept for an admin, private
        var audit = await Admin.GetFromJsonAsync<JsonElement>("/api/audit?resourceType=home&resourceName=zed");
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("action").GetString() == "retire");

        await using var scope = Host.Services.CreateAsyncScope();
        var retired = scope.ServiceProvider.GetRequiredService<RetiredUsers>();
        Assert.Equal(0, retired.Purge()); // within the grace period
        clock.Advance(TimeSpan.FromDays(31));
        Assert.Equal(1, retired.Purge());
        Assert.False(File.Exists(kept));
    }
}
