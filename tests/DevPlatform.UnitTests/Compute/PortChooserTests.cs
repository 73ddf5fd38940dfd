using System.Net;
using System.Net.Sockets;
using DevPlatform.Abstractions;
using DevPlatform.Compute.Local;

namespace DevPlatform.UnitTests.Compute;

public sealed class PortChooserTests
{
    [Fact]
    public void Choose_SkipsAPortInUse_NeverHandsOneOutTwice_AndSaysWhenTheRangeIsFull()
    {
        // Above the platform's default range and below the ephemeral ports: nothing else here hands these out.
        using var taken = new TcpListener(IPAddress.Loopback, 31000);
        taken.Start();

        Assert.Equal(31001, PortChooser.Choose(31000, 31001));
        var full = Assert.Throws<BackendStartException>(() => PortChooser.Choose(31000, 31001)); // 31001's workload may not have bound it yet
        Assert.Equal("No free port between 31000 and 31001 (Compute:Local:FirstPort and LastPort) on this host: widen the range or stop some environments.", full.Message);
    }

    [Theory]
    [InlineData(80, 29999)]
    [InlineData(30000, 20000)]
    [InlineData(20000, 70000)]
    public void PortRange_OutOfBoundsOrReversed_IsAStartUpErrorNamingTheSettings(int first, int last) =>
        Assert.Equal($"Compute:Local:FirstPort and LastPort ({first}–{last}) must be a range within 1024–65535, FirstPort not above LastPort, e.g. 20000 and 29999.",
            new LocalOptions { FirstPort = first, LastPort = last }.PortRangeProblem());

    [Fact]
    public void PortRange_Default_IsFine() => Assert.Null(new LocalOptions().PortRangeProblem());
}
