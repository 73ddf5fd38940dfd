namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>Polls a condition until it holds or a deadline passes (never a fixed sleep).</summary>
public static class Eventually
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = await probe();
        while (!done(last))
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {timeout.TotalSeconds} s waiting for {what}; last seen: {last}");
            await Task.Delay(100);
            last = await probe();
        }

        return last;
    }
}
