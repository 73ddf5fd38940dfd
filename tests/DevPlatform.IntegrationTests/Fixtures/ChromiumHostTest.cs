namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>A <see cref="LiveHostTest"/> with the real Chromium launched for it, closed before the host stops.</summary>
public abstract class ChromiumHostTest : LiveHostTest, IAsyncLifetime
{
    protected Chromium Chromium { get; private set; } = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        Chromium = await Chromium.LaunchAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Chromium.DisposeAsync();
        await DisposeAsync();
    }
}
