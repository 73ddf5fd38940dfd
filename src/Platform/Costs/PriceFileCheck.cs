namespace DevPlatform.Costs;

/// <summary>At start-up: a price file that exists must parse, or the host refuses to start naming the problem.</summary>
internal sealed class PriceFileCheck(PriceList prices) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        prices.Check();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
