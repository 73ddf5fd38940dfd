using System.Diagnostics;
using System.Text;

namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>
/// A real JupyterHub 3.0 (Debian's package) on loopback: dummy authenticator, simple local-process spawner running
/// jupyterhub-singleuser, named servers on, sqlite in a folder of its own, and an admin service <c>admin-svc</c> (the admin role)
/// reached with <see cref="AdminToken"/>. Stopped, with its servers, and removed at the end.
/// </summary>
public sealed class JupyterHubServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/jupyterhub";
    public const string AdminToken = "secret-admin-token-0123456789abcdef";
    private readonly Process process;
    private readonly DirectoryInfo folder;
    private readonly StringBuilder output;

    private JupyterHubServer(Process process, DirectoryInfo folder, StringBuilder output, Uri address, Uri hubAddress)
    {
        (this.process, this.folder, this.output) = (process, folder, output);
        (Address, HubAddress) = (address, hubAddress);
    }

    /// <summary>The public (proxy) address; the API is at <c>/hub/api</c> under it, as on ours.</summary>
    public Uri Address { get; }

    /// <summary>The hub's own address, behind the proxy (benchmarks call it directly, sparing JupyterHub the proxy hop).</summary>
    public Uri HubAddress { get; }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <param name="logLevel">JupyterHub's log level: INFO logs every request, as deployments do; benchmarks pass WARN.</param>
    public static async Task<JupyterHubServer> StartAsync(string logLevel = "INFO")
    {
        Assert.True(File.Exists(Binary), $"{Binary} is missing: apt-get install jupyterhub (.ci/run installs it)");
        var folder = Directory.CreateTempSubdirectory("devplatform-jupyterhub-");
        var (publicPort, hubPort, apiPort) = (TestPostgres.FreePort(), TestPostgres.FreePort(), TestPostgres.FreePort());
        var config = $$"""
            c = get_config()
            c.JupyterHub.ip = '127.0.0.1'
            c.JupyterHub.port = {{publicPort}}
            c.JupyterHub.hub_ip = '127.0.0.1'
            c.JupyterHub.hub_port = {{hubPort}}
            c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{{apiPort}}'
            c.ConfigurableHTTPProxy.auth_token = 'proxy-token-for-tests-only'
            c.JupyterHub.db_url = 'sqlite:///{{folder.FullName}}/jupyterhub.sqlite'
            c.JupyterHub.cookie_secret_file = '{{folder.FullName}}/cookie_secret'
            c.JupyterHub.pid_file = '{{folder.FullName}}/jupyterhub.pid'
            c.JupyterHub.authenticator_class = 'dummy'
            c.JupyterHub.log_level = '{{logLevel}}'
            c.JupyterHub.spawner_class = 'simple'
            c.JupyterHub.allow_named_servers = True
            c.JupyterHub.cleanup_servers = True
            c.Spawner.args = ['--allow-root']
            c.SimpleLocalProcessSpawner.home_dir_template = '{{folder.FullName}}/home/{username}'
            c.Spawner.default_url = '/tree'
            c.Spawner.http_timeout = 120
            c.Spawner.start_timeout = 180
            c.JupyterHub.services = [{'name': 'admin-svc', 'api_token': '{{AdminToken}}', 'admin': True}]
            """;
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "jupyterhub_config.py"), config);
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder.FullName };
        start.ArgumentList.Add("-f");
        start.ArgumentList.Add(Path.Combine(folder.FullName, "jupyterhub_config.py"));
        start.Environment["NODE_PATH"] = "/usr/share/nodejs";
        var output = new StringBuilder();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new JupyterHubServer(process, folder, output, new Uri($"http://127.0.0.1:{publicPort}"), new Uri($"http://127.0.0.1:{hubPort}"));
        using var probe = new HttpClient { BaseAddress = server.Address };
        await Eventually.UntilAsync(async () =>
        {
            try
            {
                return (await probe.GetAsync(new Uri("/hub/api", UriKind.Relative))).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, ready => ready || process.HasExited, TimeSpan.FromSeconds(60), "JupyterHub to answer /hub/api");
        Assert.False(process.HasExited, $"JupyterHub exited at start-up:\n{server.Output}");
        return server;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

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
}
