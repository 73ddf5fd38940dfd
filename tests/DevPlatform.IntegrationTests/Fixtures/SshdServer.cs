using System.Diagnostics;
using System.Globalization;

namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>
/// A real OpenSSH sshd (Debian's openssh-server) in a private mount namespace: <c>/srv</c> is the test's folder, and
/// <c>/etc/passwd</c> and <c>/etc/group</c> are copies the platform's helper may write. It is set up only with the
/// files <c>render sftp</c> wrote, runs the helper's <c>sync</c> before serving, and is reached with the real sftp.
/// </summary>
public sealed class SshdServer : IAsyncDisposable
{
    public const string Srv = "/srv";
    private const string Sshd = "/usr/sbin/sshd";
    private const string Sftp = "/usr/bin/sftp";
    private readonly Process process;
    private readonly string root;

    private SshdServer(Process process, string root, int port)
    {
        this.process = process;
        this.root = root;
        Port = port;
    }

    public int Port { get; }

    /// <summary>What the namespace's /srv is on the host: where the rendered files go (<c>{Root}/srv/…</c>).</summary>
    public static string SrvOnHost(string root) => Path.Combine(root, "srv");

    /// <summary>
    /// Starts sshd for the rendered files under <c>{root}/srv</c> (the helper, its settings, the sshd_config fragment).
    /// <paramref name="token"/> goes where the helper reads it; the server's own settings include the fragment last.
    /// </summary>
    public static async Task<SshdServer> StartAsync(string root, string token, int port)
    {
        Assert.True(File.Exists(Sshd), $"{Sshd} is missing: apt-get install openssh-server");
        var srv = SrvOnHost(root);
        Directory.CreateDirectory(Path.Combine(srv, "ssh"));
        await File.WriteAllTextAsync(Path.Combine(srv, "etc", "sftp.token"), token);
        File.Copy("/etc/passwd", Path.Combine(srv, "etc", "passwd"), overwrite: true);
        File.Copy("/etc/group", Path.Combine(srv, "etc", "group"), overwrite: true);
        await CommandLine.SucceedAsync(SshKeyFiles.SshKeygen, ["-q", "-t", "ed25519", "-N", "", "-f", Path.Combine(srv, "ssh", "host_ed25519")]);
        await File.WriteAllTextAsync(Path.Combine(srv, "ssh", "sshd_config"), $"""
            ListenAddress 127.0.0.1:{port}
            HostKey {Srv}/ssh/host_ed25519
            PidFile /run/sshd.pid
            UsePAM no
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            AuthorizedKeysFile none
            Subsystem sftp internal-sftp
            LogLevel VERBOSE
            Include {Srv}/etc/zz-devplatform-sftp.conf

            """);
        await File.WriteAllTextAsync(Path.Combine(root, "start.sh"), $"""
            set -e
            mount --bind '{srv}' {Srv}
            mount --bind {Srv}/etc/passwd /etc/passwd
            mount --bind {Srv}/etc/group /etc/group
            mount -t tmpfs tmpfs /run
            mkdir -p /run/sshd
            {Srv}/bin/devplatform-sftp sync
            exec {Sshd} -D -e -f {Srv}/ssh/sshd_config

            """);
        await CommandLine.SucceedAsync("/usr/bin/chmod", ["-R", "go-w", srv]);
        await CommandLine.SucceedAsync("/usr/bin/chown", ["-R", "root:root", srv]);
        var start = new ProcessStartInfo("/usr/bin/unshare") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-m", "--propagation", "private", "/bin/sh", Path.Combine(root, "start.sh") })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        var log = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var server = new SshdServer(process, root, port);
        await Eventually.UntilAsync(() => Task.FromResult(Listening(port) || process.HasExited), up => up, TimeSpan.FromSeconds(30), "sshd to listen");
        Assert.False(process.HasExited, $"sshd exited at start-up: {log}");
        return server;
    }

    /// <summary>Runs the helper's <c>sync</c> inside the server's namespace (as its systemd timer would): its output.</summary>
    public Task<string> SyncAsync() =>
        CommandLine.SucceedAsync("/usr/bin/nsenter", ["-t", process.Id.ToString(CultureInfo.InvariantCulture), "-m", $"{Srv}/bin/devplatform-sftp", "sync"]);

    /// <summary>A file inside the namespace (e.g. /etc/passwd as sshd sees it).</summary>
    public Task<string> ReadAsync(string path) =>
        CommandLine.SucceedAsync("/usr/bin/nsenter", ["-t", process.Id.ToString(CultureInfo.InvariantCulture), "-m", "/usr/bin/cat", path]);

    /// <summary>The real sftp client in batch mode as <paramref name="user"/> with a private key: exit code and output.</summary>
    public Task<(int Code, string Output)> SftpAsync(string user, string privateKey, string batch, string? workingDirectory = null) =>
        CommandLine.RunAsync(Sftp, [
            "-i", privateKey, "-P", Port.ToString(CultureInfo.InvariantCulture), "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
            "-o", $"UserKnownHostsFile={Path.Combine(root, "known_hosts")}", "-o", "IdentitiesOnly=yes", "-b", "-", $"{user}@127.0.0.1"],
            stdin: batch, workingDirectory: workingDirectory);

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            client.Connect(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
