using System.Diagnostics;
using System.Net.Sockets;

namespace DevPlatform.Bench;

/// <summary>The native benchmark workload (bench/workload/fastecho.c), compiled on first use.</summary>
internal static class Workload
{
    public static string Build()
    {
        var binary = Path.Combine(Path.GetTempPath(), "devplatform-fastecho");
        using var cc = Process.Start("cc", ["-O2", "-pthread", "-o", binary, Path.Combine(AppContext.BaseDirectory, "workload", "fastecho.c")]);
        cc.WaitForExit();
        return cc.ExitCode == 0 ? binary : throw new InvalidOperationException("cc failed to build the workload (apt-get install gcc)");
    }

    /// <summary>Milliseconds from spawning the workload until it accepts a connection: its own start-up cost.</summary>
    public static double DirectStartMilliseconds(string binary, int port)
    {
        var start = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        try
        {
            while (true)
            {
                try
                {
                    using var client = new TcpClient("127.0.0.1", port);
                    return clock.Elapsed.TotalMilliseconds;
                }
                catch (SocketException)
                {
                    Thread.SpinWait(1000);
                }
            }
        }
        finally
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    public static Process StartDirect(string binary, int port)
    {
        var start = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Process.Start(start)!;
    }
}
