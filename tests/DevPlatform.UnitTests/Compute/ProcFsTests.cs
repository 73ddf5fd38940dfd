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
}
