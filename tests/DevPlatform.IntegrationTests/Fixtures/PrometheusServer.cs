using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>
/// A real Prometheus or Alertmanager (Debian's packages) on loopback with a config of the test's making; stopped and its
/// data removed at the end.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/prometheus";
    public const string AlertmanagerBinary = "/usr/bin/prometheus-alertmanager";
    private readonly Process process;
    private readonly DirectoryInfo folder;

    private PrometheusServer(Process process, DirectoryInfo folder, Uri address)
    {
        this.process = process;
        this.folder = folder;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    /// <summary>Starts Prometheus with <paramref name="config"/> (YAML; <c>{folder}</c> is replaced by its working folder) and waits until ready.</summary>
    public static Task<PrometheusServer> StartAsync(string config, IReadOnlyDictionary<string, string>? files = null) =>
        StartAsync(Binary, config, files, (folder, port) =>
        [
            $"--config.file={folder}/prometheus.yml", $"--storage.tsdb.path={folder}/data", $"--web.listen-address=127.0.0.1:{port}",
            "--rules.alert.resend-delay=1s", "--rules.alert.for-grace-period=1s",
        ]);

    /// <summary>Alertmanager with <paramref name="config"/>, not clustering (no gossip on 0.0.0.0:9094).</summary>
    public static Task<PrometheusServer> StartAlertmanagerAsync(string config) =>
        StartAsync(AlertmanagerBinary, config, null, (folder, port) =>
            [$"--config.file={folder}/prometheus.yml", $"--storage.path={folder}/data", $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address="]);

    private static async Task<PrometheusServer> StartAsync(string binary, string config, IReadOnlyDictionary<string, string>? files, Func<string, int, string[]> arguments)
    {
        Assert.True(File.Exists(binary), $"{binary} is missing: apt-get install prometheus prometheus-alertmanager");
        var folder = Directory.CreateTempSubdirectory("devplatform-prometheus-");
        foreach (var (name, text) in files ?? new Dictionary<string, string>())
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, name), text);
        }

        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "prometheus.yml"), config.Replace("{folder}", folder.FullName, StringComparison.Ordinal));
        var port = TestPostgres.FreePort();
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in arguments(folder.FullName, port))
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var server = new PrometheusServer(process, folder, new Uri($"http://127.0.0.1:{port}"));
        await Eventually.UntilAsync(async () =>
        {
            try
            {
                return (await server.Client.GetAsync(new Uri("/-/ready", UriKind.Relative))).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, ready => ready || process.HasExited, TimeSpan.FromSeconds(30), $"{binary} to be ready");
        Assert.False(process.HasExited, $"{binary} exited at start-up");
        return server;
    }

    /// <summary>An instant query's result vector (<c>/api/v1/query</c>).</summary>
    public async Task<JsonElement> QueryAsync(string query)
    {
        var response = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/query?query={Uri.EscapeDataString(query)}");
        Assert.Equal("success", response.GetProperty("status").GetString());
        return response.GetProperty("data").GetProperty("result");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        folder.Delete(recursive: true);
    }
}
