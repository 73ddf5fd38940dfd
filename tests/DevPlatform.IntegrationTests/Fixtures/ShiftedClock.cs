namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>The real clock moved forward by hand: time still passes, and a test can jump it ahead (timers stay real).</summary>
public sealed class ShiftedClock : TimeProvider
{
    private long offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));
}
