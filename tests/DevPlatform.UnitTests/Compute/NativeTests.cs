using DevPlatform.Compute.Local;

namespace DevPlatform.UnitTests.Compute;

public sealed class NativeTests
{
    [Theory]
    [InlineData(0)] // kill(0, …): this process's own group
    [InlineData(1)] // kill(-1, …): every process the host may signal
    [InlineData(-5)]
    public void SignalGroup_GroupZeroOneOrNegative_RefusedNothingSignalled(int processGroup) =>
        Assert.Throws<InvalidOperationException>(() => Native.SignalGroup(processGroup, 0)); // signal 0 only asks, so a miss here harms nothing

    [Fact]
    public void GroupExists_OwnGroup_True_GoneGroup_False()
    {
        Assert.True(Native.GroupExists(ProcFs.Read(Environment.ProcessId)!.ProcessGroup));
        Assert.False(Native.GroupExists(int.MaxValue - 1)); // no such group
    }
}
