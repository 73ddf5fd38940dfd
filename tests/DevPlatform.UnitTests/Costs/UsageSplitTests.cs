using DevPlatform.Abstractions;
using DevPlatform.Costs;
using DevPlatform.Environments;

namespace DevPlatform.UnitTests.Costs;

/// <summary>Metering cuts running time at UTC hour boundaries and prices each piece pro rata (hand-computed cases).</summary>
public sealed class UsageSplitTests
{
    private static readonly DateTimeOffset At1020 = new(2026, 11, 30, 10, 20, 0, TimeSpan.Zero);

    [Fact]
    public void TenTwentyToTwelveOhFive_IsFortySixtyAndFiveMinutes_AtTwelveCentsAnHour()
    {
        var rows = UsageMeter.Split(Due(0.12m), At1020, new DateTimeOffset(2026, 11, 30, 12, 5, 0, TimeSpan.Zero), null).ToList();
        Assert.Equal([10, 11, 12], rows.Select(r => r.Hour.Hour));
        Assert.Equal([2400d, 3600d, 300d], rows.Select(r => r.Seconds));
        Assert.Equal([0.08m, 0.12m, 0.01m], rows.Select(r => r.Cost));
        Assert.All(rows, r => Assert.Equal(0, r.MeasuredSeconds)); // no usage reported: time and cost only
    }

    [Fact]
    public void MeasuredUsage_IsWeightedByTheTimeItCovers()
    {
        var rows = UsageMeter.Split(Due(0.5m), At1020, At1020.AddMinutes(50), new BackendUsage(0.25m, 1L << 30)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(2400 * 0.25, rows[0].CpuCoreSeconds);
        Assert.Equal(600 * 0.25, rows[1].CpuCoreSeconds);
        Assert.Equal(600d * (1L << 30), rows[1].MemoryByteSeconds);
        Assert.Equal(0.5m * 50 / 60, rows.Sum(r => r.Cost), 6);
    }

    [Fact]
    public void AMeterPassWithinOneHour_IsOnePiece()
    {
        var row = Assert.Single(UsageMeter.Split(Due(0.037m), At1020, At1020.AddSeconds(61), null));
        Assert.Equal(61, row.Seconds);
        Assert.Equal(decimal.Round(0.037m * 61 / 3600, 10), row.Cost); // 0.0006269444: ten places, so a month of minute passes loses no cents
    }

    private static UsageMeter.Due Due(decimal rate) => new(
        Guid.NewGuid(), "nb", "alice", "lab", "jupyter", "cpu", EnvironmentState.Running, At1020, null, null, 2m, 4L << 30, 0, rate, "{}", null);
}
