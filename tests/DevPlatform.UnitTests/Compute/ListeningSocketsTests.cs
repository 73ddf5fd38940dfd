using System.Net;
using System.Net.Sockets;
using DevPlatform.Compute.Local;

namespace DevPlatform.UnitTests.Compute;

public sealed class ListeningSocketsTests
{
    [Fact]
    public void On_ListenersFoundWithTheirHolder_ConnectionsOnThePortAreNot()
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
