using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using DevPlatform.IntegrationTests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DevPlatform.IntegrationTests.Access;

/// <summary>
/// A real sshd set up only with what <c>render sftp</c> writes, asking the live hub for keys: the real sftp client
/// uploads and downloads with a key added through the API, stays inside its home, cannot see another; a removed key,
/// a disabled user and an unknown user are refused.
/// </summary>
public sealed class OpenSshSftpTests : IAsyncLifetime
{
    private const string Token = "sftp-helper-secret";
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("devplatform-sshd-");
    private readonly int port = TestPostgres.FreePort();
    private PlatformFactory host = null!;
    private HttpClient admin = null!;
    private SshdServer sshd = null!;
    private string homes = null!;
    private string aliceKey = null!;
    private string bobKey = null!;

    public async Task InitializeAsync()
    {
        host = await PlatformFactory.CreateLiveAsync(new Dictionary<string, string?>
        {
            ["Sftp:Provider"] = "openssh", ["Sftp:Token"] = Token, ["Sftp:Host"] = "127.0.0.1", ["Sftp:Port"] = port.ToString(CultureInfo.InvariantCulture),
        });
        admin = host.CreateAdminClient();
        homes = Path.Combine(host.Services.GetRequiredService<IConfiguration>()["Compute:Local:Root"]!, "homes");
        var keys = Directory.CreateDirectory(Path.Combine(root.FullName, "keys")).FullName;
        foreach (var user in new[] { "alice", "bob" })
        {
            await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/users", new { name = user }), HttpStatusCode.Created);
            var (key, line) = await SshKeyFiles.NewAsync(keys, comment: $"{user}@laptop");
            await ApiAssert.OkAsync(await admin.PostAsJsonAsync($"/api/users/{user}/ssh-keys", new { name = "laptop", publicKey = line }), HttpStatusCode.Created);
            (aliceKey, bobKey) = user == "alice" ? (key, bobKey) : (aliceKey, key);
        }

        var (code, stdout, stderr) = await HostProcess.RunCommandAsync(["render", "sftp", root.FullName], host.ConnectionString, PluginFolder.With(PluginFolder.BuiltIn), new Dictionary<string, string>
        {
            ["Sftp__Provider"] = "openssh", ["Sftp__OpenSsh__HubUrl"] = host.BaseAddress.ToString(), ["Sftp__OpenSsh__StorageRoot"] = Path.GetDirectoryName(homes)!,
            ["Sftp__OpenSsh__ChrootRoot"] = $"{SshdServer.Srv}/chroot", ["Sftp__OpenSsh__CommandPath"] = $"{SshdServer.Srv}/bin/devplatform-sftp",
            ["Sftp__OpenSsh__SettingsPath"] = $"{SshdServer.Srv}/etc/sftp.conf", ["Sftp__OpenSsh__ConfigFragmentPath"] = $"{SshdServer.Srv}/etc/zz-devplatform-sftp.conf",
            ["Sftp__OpenSsh__TokenFile"] = $"{SshdServer.Srv}/etc/sftp.token", ["Sftp__OpenSsh__PasswdFile"] = "/etc/passwd", ["Sftp__OpenSsh__GroupFile"] = "/etc/group",
        });
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains($"wrote {root.FullName}/srv/bin/devplatform-sftp", stdout, StringComparison.Ordinal);
        sshd = await SshdServer.StartAsync(root.FullName, Token, port);
    }

    public async Task DisposeAsync()
    {
        await sshd.DisposeAsync();
        await host.DisposeAsync();
        root.Delete(recursive: true);
    }

    [Fact]
    public async Task UploadAndDownload_WithAKeyAddedThroughTheApi_StayInsideTheOwnHome()
    {
        var work = Directory.CreateDirectory(Path.Combine(root.FullName, "work")).FullName;
        await File.WriteAllTextAsync(Path.Combine(work, "results.csv"), "epoch,loss\n1,0.5\n");
        await File.WriteAllTextAsync(Path.Combine(homes, "bob", "secret.txt"), "bob's");

        var (code, output) = await sshd.SftpAsync("alice", aliceKey, "put results.csv\nget results.csv copy.csv\npwd\n", work);
        Assert.True(code == 0, output);
        Assert.Contains("Remote working directory: /home", output, StringComparison.Ordinal);
        Assert.Equal("epoch,loss\n1,0.5\n", await File.ReadAllTextAsync(Path.Combine(homes, "alice", "results.csv")));
        Assert.Equal("epoch,loss\n1,0.5\n", await File.ReadAllTextAsync(Path.Combine(work, "copy.csv")));
        Assert.Equal("1000:100", (await CommandLine.SucceedAsync("/usr/bin/stat", ["-c", "%u:%g", Path.Combine(homes, "alice", "results.csv")])).Trim());

        (code, output) = await sshd.SftpAsync("alice", aliceKey, "cd ../..\npwd\nls -1a /\n-get /etc/passwd stolen\n-get /srv/etc/sftp.token stolen\n-get ../../homes/bob/secret.txt stolen\n-cd /bob\n", work);
        Assert.True(code == 0, output);
        Assert.Contains("Remote working directory: /\n", output, StringComparison.Ordinal);
        var listing = output.Split('\n').SkipWhile(l => !l.StartsWith("sftp> ls", StringComparison.Ordinal)).Skip(1).TakeWhile(l => !l.StartsWith("sftp>", StringComparison.Ordinal))
            .Select(l => l.Trim().Trim('/')).Where(l => l.Length > 0 && l != "." && l != "..").ToList();
        Assert.Equal(["home"], listing);
        Assert.False(File.Exists(Path.Combine(work, "stolen")), output);

        using var browser = new Browser(host.BaseAddress);
        await browser.LoginAsync("alice");
        var me = await ApiAssert.OkAsync(await browser.Client.GetAsync(new Uri("/api/me/sftp", UriKind.Relative)));
        Assert.True(me.GetProperty("enabled").GetBoolean());
        Assert.Equal($"sftp -P {port} alice@127.0.0.1", me.GetProperty("command").GetString());
    }

    [Fact]
    public async Task ARemovedKey_ADisabledUser_AndAnUnknownUser_AreRefused()
    {
        Assert.Equal(0, (await sshd.SftpAsync("bob", bobKey, "pwd\n")).Code);
        Assert.NotEqual(0, (await sshd.SftpAsync("bob", aliceKey, "pwd\n")).Code); // alice's key is not bob's

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(new Uri("/api/users/alice/ssh-keys/laptop", UriKind.Relative))).StatusCode);
        var (code, output) = await sshd.SftpAsync("alice", aliceKey, "pwd\n");
        Assert.NotEqual(0, code);
        Assert.Contains("Permission denied (publickey)", output, StringComparison.Ordinal);

        await ApiAssert.OkAsync(await admin.PutAsJsonAsync("/api/users/bob", new { name = "bob", disabled = true }));
        (code, output) = await sshd.SftpAsync("bob", bobKey, "pwd\n");
        Assert.NotEqual(0, code);
        Assert.Contains("Permission denied (publickey)", output, StringComparison.Ordinal);

        Assert.Equal("devplatform-sftp: 0 account(s); 2 removed", (await sshd.SyncAsync()).Trim());
        Assert.DoesNotContain("bob:", await sshd.ReadAsync("/etc/passwd"), StringComparison.Ordinal);
        Assert.NotEqual(0, (await sshd.SftpAsync("mallory", bobKey, "pwd\n")).Code);

        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/hub/sftp/authorized-keys/alice", UriKind.Relative))).StatusCode);
    }
}
