using System.Diagnostics;
using System.Text.RegularExpressions;

namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>
/// A real BIND 9 (<c>named</c>, Debian's bind9) on loopback, primary for <see cref="Zone"/>, accepting dynamic updates
/// and zone transfers signed with a TSIG key made by <c>tsig-keygen</c>; queried with the real <c>dig</c>.
/// </summary>
public sealed partial class BindServer : IAsyncDisposable
{
    public const string Zone = "example.test";
    public const string KeyName = "ddns-key";
    private const string Named = "/usr/sbin/named";
    private const string Dig = "/usr/bin/dig";
    private readonly Process process;
    private readonly DirectoryInfo folder;

    private BindServer(Process process, DirectoryInfo folder, int port, string secret)
    {
        this.process = process;
        this.folder = folder;
        Port = port;
        KeySecret = secret;
    }

    public int Port { get; }

    /// <summary>The key's base64 secret, as tsig-keygen wrote it.</summary>
    public string KeySecret { get; }

    /// <summary>Starts named with the zone holding <paramref name="records"/> (zone-file lines, e.g. <c>www A 192.0.2.99</c>).</summary>
    public static async Task<BindServer> StartAsync(params string[] records)
    {
        Assert.True(File.Exists(Named), $"{Named} is missing: apt-get install bind9 bind9-dnsutils");
        var folder = Directory.CreateTempSubdirectory("devplatform-bind-");
        var dir = folder.FullName;
        var key = await CommandLine.SucceedAsync("/usr/sbin/tsig-keygen", ["-a", "hmac-sha256", KeyName]);
        await File.WriteAllTextAsync(Path.Combine(dir, "ddns.key"), key);
        var port = TestPostgres.FreePort();
        await File.WriteAllTextAsync(Path.Combine(dir, "named.conf"), $$"""
            options {
                directory "{{dir}}"; listen-on port {{port}} { 127.0.0.1; }; listen-on-v6 { none; };
                pid-file "{{dir}}/named.pid"; session-keyfile "{{dir}}/session.key"; managed-keys-directory "{{dir}}";
                recursion no; dnssec-validation no; notify no;
            };
            controls { };
            include "{{dir}}/ddns.key";
            zone "{{Zone}}" { type primary; file "{{dir}}/{{Zone}}.zone"; allow-update { key {{KeyName}}; }; allow-transfer { key {{KeyName}}; }; };
            """);
        await File.WriteAllTextAsync(Path.Combine(dir, $"{Zone}.zone"), $"""
            $TTL 300
            @ IN SOA ns1.{Zone}. hostmaster.{Zone}. 1 3600 600 86400 300
            @ IN NS ns1.{Zone}.
            ns1 IN A 127.0.0.1
            {string.Join('\n', records)}

            """);
        await CommandLine.SucceedAsync("/usr/bin/chown", ["-R", "bind:bind", dir]);
        await CommandLine.SucceedAsync("/usr/bin/named-checkconf", [Path.Combine(dir, "named.conf")]);
        var start = new ProcessStartInfo(Named) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-g", "-u", "bind", "-c", Path.Combine(dir, "named.conf") })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var server = new BindServer(process, folder, port, SecretPattern().Match(key).Groups[1].Value);
        await Eventually.UntilAsync(() => server.DigAsync("ns1." + Zone, "A"), answer => answer.Contains("127.0.0.1", StringComparison.Ordinal) || process.HasExited,
            TimeSpan.FromSeconds(30), "named to answer");
        Assert.False(process.HasExited, "named exited at start-up");
        return server;
    }

    /// <summary>What <c>dig +short</c> answers for the name and type (one value per line; empty when there is none).</summary>
    public async Task<string> DigAsync(string name, string type) =>
        (await CommandLine.RunAsync(Dig, ["+short", "+time=2", "+tries=1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "@127.0.0.1", name, type])).Output.Trim();

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        folder.Delete(recursive: true);
    }

    [GeneratedRegex("secret \"([^\"]+)\"")]
    private static partial Regex SecretPattern();
}
