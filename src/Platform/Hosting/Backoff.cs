namespace DevPlatform.Hosting;

/// <summary>How long a background loop waits before trying again after a failure: 1 s, doubling, at most 30 s; back to 1 s once it succeeds.</summary>
internal sealed class Backoff
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(30);

    public TimeSpan Current { get; private set; } = First;

    /// <summary>Waits <see cref="Current"/>, then doubles it for the next failure.</summary>
    public async Task WaitAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        await Task.Delay(Current, time, cancellationToken);
        Current = TimeSpan.FromTicks(Math.Min(Current.Ticks * 2, Longest.Ticks));
    }

    public void Reset() => Current = First;
}
