using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Access;

/// <summary>SSH public keys made by the real ssh-keygen: accepted with the fingerprint ssh-keygen itself shows; weak, malformed and duplicate keys refused with the reason.</summary>
public sealed class SshKeysTests : AdminApiTest, IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("devplatform-keys-");

    public void Dispose() => folder.Delete(recursive: true);

    protected override async Task SeedAsync() => await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "alice" }), HttpStatusCode.Created);

    [Theory]
    [InlineData("ed25519", null)]
    [InlineData("ecdsa", "256")]
    [InlineData("ecdsa", "384")]
    [InlineData("ecdsa", "521")]
    [InlineData("rsa", "3072")]
    public async Task RealKeys_AreAccepted_WithTheFingerprintSshKeygenShows(string type, string? bits)
    {
        var (line, listed) = await KeyAsync(type, bits);
        var added = await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users/alice/ssh-keys", new { name = "laptop", publicKey = line }), HttpStatusCode.Created);
        Assert.Equal(listed, added.GetProperty("display").GetString()); // "256 SHA256:… alice@laptop (ED25519)"
        var keys = await Admin.GetFromJsonAsync<JsonElement>("/api/users/alice/ssh-keys");
        Assert.Equal(added.GetProperty("fingerprint").GetString(), Assert.Single(keys.EnumerateArray()).GetProperty("fingerprint").GetString());
    }

    [Fact]
    public async Task WeakMalformedAndDuplicateKeys_AreRefusedWithTheReason_AndRemovalWorks()
    {
        var (weak, _) = await KeyAsync("rsa", "2048");
        Assert.Contains("RSA key of 2048 bits; 3072 or more are required", await ApiAssert.FieldErrorAsync(await Admin.PostAsJsonAsync("/api/users/alice/ssh-keys", new { name = "old", publicKey = weak }), "publicKey"), StringComparison.Ordinal);
        var (good, _) = await KeyAsync("ed25519", null);
        var parts = good.Split(' ');
        Assert.Contains("damaged or truncated", await ApiAssert.FieldErrorAsync(await Admin.PostAsJsonAsync("/api/users/alice/ssh-keys", new { name = "cut", publicKey = $"{parts[0]} {parts[1][..40]}" }), "publicKey"), StringComparison.Ordinal);
        Assert.Contains("not base64", await ApiAssert.FieldErrorAsync(await Admin.PostAsJsonAsync("/api/users/alice/ssh-keys", new { name = "junk", publicKey = "ssh-ed25519 not*base64" }), "publicKey"), StringComparison.Ordinal);
        Assert.Contains("DSA key", await ApiAssert.FieldErrorAsync(await Admin.PostAsJsonAsync("/api/users/alice/ssh-keys", new { name = "dsa", publicKey = "ssh-dss AAAAB3NzaC1kc3MAAACBAP1" }), "publicKey"), StringComparison.Ordinal);
        Assert.Contains("is not a ssh-rsa key", await ApiAssert.FieldErrorAsync(await Admin.PostAsJsonAsync("/api/users/alice/ssh-keys", new { name = "liar", publicKey = $"ssh-rsa {parts[1]}" }), "publicKey"), StringComparison.Ordinal);

        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users/alice/ssh-keys", new { name = "laptop", publicKey = good }), HttpStatusCode.Created);
        await ApiAssert.ProblemAsync(await Admin.PostAsJsonAsync("/api/users/alice/ssh-keys", new { name = "again", publicKey = good }), HttpStatusCode.Conflict);
        await ApiAssert.ProblemAsync(await Admin.PostAsJsonAsync("/api/users/alice/ssh-keys", new { name = "laptop", publicKey = (await KeyAsync("ed25519", null)).Line }), HttpStatusCode.Conflict);

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync(new Uri("/api/users/alice/ssh-keys/laptop", UriKind.Relative))).StatusCode);
        Assert.Empty((await Admin.GetFromJsonAsync<JsonElement>("/api/users/alice/ssh-keys")).EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.DeleteAsync(new Uri("/api/users/alice/ssh-keys/laptop", UriKind.Relative))).StatusCode);
    }

    /// <summary>A fresh key from ssh-keygen: its .pub line and what ssh-keygen -l says of it.</summary>
    private async Task<(string Line, string Listed)> KeyAsync(string type, string? bits)
    {
        var (file, line) = await SshKeyFiles.NewAsync(folder.FullName, type, bits);
        return (line, (await CommandLine.SucceedAsync(SshKeyFiles.SshKeygen, ["-l", "-f", file + ".pub"])).Trim());
    }
}
