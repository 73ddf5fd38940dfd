using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace DevPlatform.Bench;

/// <summary>
/// configurable-http-proxy, the proxy JupyterHub runs (Debian's node-configurable-http-proxy), forwarding everything to
/// one target: the peer the platform's proxy is compared with in the same run.
/// </summary>
internal sealed class ConfigurableHttpProxy : IDisposable
{
    private readonly Process process;

    private ConfigurableHttpProxy(Process process, int port) => (this.process, Port) = (process, port);

    public int Port { get; }

    public static ConfigurableHttpProxy Start(int port, int apiPort, Uri target)
    {
        var start = new ProcessStartInfo("configurable-http-proxy",
            ["--ip", "127.0.0.1", "--port", Invariant(port), "--api-ip", "127.0.0.1", "--api-port", Invariant(apiPort),
             "--default-target", target.ToString(), "--log-level", "warn"])
        { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["NODE_PATH"] = "/usr/share/nodejs"; // the machine's Node.js does not look there (PEERS.md)
        start.Environment["CONFIGPROXY_AUTH_TOKEN"] = Guid.NewGuid().ToString("N");
        var proxy = new ConfigurableHttpProxy(Process.Start(start) ?? throw new InvalidOperationException("apt-get install jupyterhub (configurable-http-proxy)"), port);
        var deadline = Stopwatch.StartNew();
        while (!proxy.Accepts())
        {
            if (proxy.process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"configurable-http-proxy did not listen on {port}: {proxy.process.StandardError.ReadToEnd()}");
            }

            Thread.Sleep(50); // start-up poll, not a measurement
        }

        return proxy;
    }

    public void Dispose()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
        process.Dispose();
    }

    private bool Accepts()
    {
        try
        {
            using var client = new TcpClient("127.0.0.1", Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
