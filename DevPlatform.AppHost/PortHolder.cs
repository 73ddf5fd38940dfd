using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DevPlatform.AppHost;

/// <summary>Whether a loopback TCP port is free, and if not, which process listens on it (from /proc, as <c>ss -ltnp</c> finds it).</summary>
internal static class PortHolder
{
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>"pid 1234 (python3 -m http.server 5080)", or a hint when the holder is not ours to see.</summary>
    public static string Describe(int port) =>
        Pid(port) is { } pid ? $"pid {pid} ({CommandLine(pid)})" : "another program (run 'ss -ltnp' to see which)";

    /// <summary>The process listening on the port, when this user may see it.</summary>
    public static int? Pid(int port)
    {
        var inodes = ListeningInodes(port);
        foreach (var process in SafeEnumerate("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(process), out var pid))
            {
                continue;
            }

            foreach (var fd in SafeEnumerate(Path.Combine(process, "fd")))
            {
                var target = SafeLink(fd);
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) && inodes.Contains(target[8..^1]))
                {
                    return pid;
                }
            }
        }

        return null;
    }

    private static HashSet<string> ListeningInodes(int port)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        var hex = port.ToString("X4", CultureInfo.InvariantCulture);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && fields[1].EndsWith($":{hex}", StringComparison.Ordinal) && fields[3] == "0A") // 0A: LISTEN
                {
                    inodes.Add(fields[9]);
                }
            }
        }

        return inodes;
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static string[] SafeEnumerate(string folder)
    {
        try
        {
            return Directory.GetFileSystemEntries(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string? SafeLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
