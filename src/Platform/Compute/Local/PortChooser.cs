using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DevPlatform.Compute.Local;

/// <summary>
/// Chooses a free port for a workload between <c>Compute:Local:FirstPort</c> and <c>LastPort</c>. The default range lies
/// below Linux's ephemeral ports (32768–60999), where every process binding port 0 or connecting out gets its port, so none
/// of those can take a workload's port between its choice and the workload's bind. A port handed out in the last minute is
/// not handed out again: its workload may not have bound it yet.
/// </summary>
internal static class PortChooser
{
    private static readonly TimeSpan Held = TimeSpan.FromMinutes(1);
    private static readonly ConcurrentDictionary<int, long> HandedOut = new(); // per process: every host in it shares the range

    public static int Choose(int first, int last)
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var (port, at) in HandedOut)
        {
            if (Stopwatch.GetElapsedTime(at, now) > Held)
            {
                HandedOut.TryRemove(port, out _);
            }
        }

        var count = last - first + 1;
        var offset = Random.Shared.Next(count);
        for (var i = 0; i < count; i++)
        {
            var port = first + ((offset + i) % count);
            if (IsFree(port) && HandedOut.TryAdd(port, now))
            {
                return port;
            }
        }

        throw new Abstractions.BackendStartException($"No free port between {first} and {last} (Compute:Local:FirstPort and LastPort) on this host: widen the range or stop some environments.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
