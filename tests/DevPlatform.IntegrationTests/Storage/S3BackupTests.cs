using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Storage;

/// <summary>Home backups to S3 through AWSSDK.S3, against a local S3 that checks every request's SigV4 signature and payload hash.</summary>
public sealed class S3BackupTests : IAsyncLifetime
{
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("devplatform-s3-homes-");
    private FakeS3 s3 = null!;

    public async Task InitializeAsync() => s3 = await FakeS3.StartAsync();

    public async Task DisposeAsync()
    {
        await s3.DisposeAsync();
        root.Delete(recursive: true);
    }

    [Fact]
    public async Task Backup_ListRestore_ThroughSignedS3Requests_AndADamagedObjectIsRefused()
    {
        await using var host = await PlatformFactory.CreateAsync(Settings(FakeS3.SecretKey));
        var admin = host.CreateAdminClient();
        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/users", new { name = "bob" }), HttpStatusCode.Created);
        Directory.CreateDirectory(Path.Combine(root.FullName, "homes", "bob", "thesis"));
        await File.WriteAllTextAsync(Path.Combine(root.FullName, "homes", "bob", "thesis", "chapter1.tex"), "\\chapter{Methods}\n");

        var backup = await ApiAssert.OkAsync(await admin.PostAsync(new Uri("/api/users/bob/backups", UriKind.Relative), null), HttpStatusCode.Created);
        var id = backup.GetProperty("id").GetString()!;
        Assert.Equal([$"backups/homes/bob/{id}.tar.gz"], s3.Keys);
        var listed = Assert.Single((await admin.GetFromJsonAsync<JsonElement>("/api/users/bob/backups")).EnumerateArray());
        Assert.Equal(backup.GetProperty("sha256").GetString(), listed.GetProperty("sha256").GetString()); // from the object's x-amz-meta-sha256

        await ApiAssert.OkAsync(await admin.PostAsJsonAsync($"/api/users/bob/backups/{id}/restore", new { path = "thesis" }));
        Assert.Equal("\\chapter{Methods}\n", await File.ReadAllTextAsync(Path.Combine(root.FullName, "homes", "bob", "restored", id, "thesis", "chapter1.tex")));
        Assert.All(s3.Requests, r => Assert.EndsWith(r.StartsWith("DELETE", StringComparison.Ordinal) ? " 204" : " 200", r, StringComparison.Ordinal));
        Assert.Contains(s3.Requests, r => r.StartsWith("PUT /backups/homes/bob/", StringComparison.Ordinal));

        s3.Corrupt($"backups/homes/bob/{id}.tar.gz");
        await ApiAssert.ProblemAsync(await admin.PostAsJsonAsync($"/api/users/bob/backups/{id}/restore", new { }), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task AWrongSecret_IsRefusedByS3_AndNothingIsStored()
    {
        await using var host = await PlatformFactory.CreateAsync(Settings("not-the-secret"));
        var admin = host.CreateAdminClient();
        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/users", new { name = "bob" }), HttpStatusCode.Created);
        Assert.False((await admin.PostAsync(new Uri("/api/users/bob/backups", UriKind.Relative), null)).IsSuccessStatusCode);
        Assert.Contains(s3.Requests, r => r.StartsWith("PUT /backups/homes/bob/", StringComparison.Ordinal) && r.EndsWith(" 403", StringComparison.Ordinal));
        Assert.Empty(s3.Keys);
    }

    private Dictionary<string, string?> Settings(string secret) => new()
    {
        ["Storage:LocalDisk:Root"] = root.FullName, ["Storage:Backups:Target"] = "s3", ["Storage:Backups:S3:Bucket"] = "backups",
        ["Storage:Backups:S3:ServiceUrl"] = s3.Endpoint.ToString(), ["Storage:Backups:S3:Region"] = s3.Region,
        ["Storage:Backups:S3:AccessKeyId"] = FakeS3.AccessKey, ["Storage:Backups:S3:SecretAccessKey"] = secret,
    };
}
