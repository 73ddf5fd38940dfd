using System.Net;
using System.Net.Sockets;
using DevPlatform.Compute.Local;

namespace DevPlatform.UnitTests.Compute;

public sealed class ProcFsTests
{
    [Fact]
    public void Read_OwnProcess_AliveWithItsStartTime_AndPidReuseDetected()
    {
        var pid = Environment.ProcessId;
        var stat = ProcFs.Read(pid);
        Assert.NotNull(stat);
        Assert.True(ProcFs.IsAlive(pid, stat.StartTicks));
        Assert.False(ProcFs.IsAlive(pid, stat.StartTicks + 1)); // same pid, other start time: not our workload
        Assert.Null(ProcFs.Read(int.MaxValue));
    }

    [Fact]
    public void NotInstalled_KnownProgram_SaysHowToInstall() =>
        Assert.Equal("'jupyterhub-singleuser' is not installed on this host; install it with: sudo apt-get install -y jupyterhub.",
            CommandHints.NotInstalled("jupyterhub-singleuser"));

    [Fact]
    public void ListeningSockets_AreFoundWithTheirHolder_ConnectionsOnThePortAreNot()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var listener6 = new TcpListener(IPAddress.IPv6Loopback, port);
        listener6.Start();
        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, port);
        using var accepted = listener.AcceptTcpClient(); // an established socket whose local port is the same

        var sockets = ListeningSockets.On(port);
        Assert.Equal(2, sockets.Count);
        Assert.NotNull(ListeningSockets.FromNetlink(port)); // the kernel's socket diagnostics answer here, not the /proc fallback
        Assert.Equal(ListeningSockets.FromProcNet(port).Order(), sockets.Order()); // both sources name the same sockets
        Assert.True(ProcFs.HoldsAnySocket(Environment.ProcessId, sockets));
        listener.Stop();
        listener6.Stop();
        Assert.Empty(ListeningSockets.On(port));
    }
}
