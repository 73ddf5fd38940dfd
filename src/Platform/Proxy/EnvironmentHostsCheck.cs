using DevPlatform.Hosting;

namespace DevPlatform.Proxy;

/// <summary>At start-up: subdomain mode's settings can work (<see cref="EnvironmentHosts.Problem"/>), or the host refuses to start saying why.</summary>
internal sealed class EnvironmentHostsCheck(EnvironmentHosts hosts) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        hosts.Problem() is { } problem ? throw new StartupException(problem) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
