using DevPlatform.Hosting;
using Microsoft.Extensions.Options;

namespace DevPlatform.Identity;

/// <summary>Dev login lets anyone be anyone: start-up stops when it is on and the host listens beyond loopback.</summary>
internal sealed class DevLoginBindingCheck(IOptions<DevLoginOptions> options, IConfiguration configuration, ILogger<DevLoginBindingCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.DevLoginEnabled)
        {
            return Task.CompletedTask;
        }

        var urls = (configuration["urls"] ?? configuration["ASPNETCORE_URLS"] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var exposed = urls.Where(u => !LoopbackCheck.IsLoopbackUrl(u)).ToList();
        if (exposed.Count > 0)
        {
            throw new StartupException(
                $"Dev login is enabled (Auth:Providers contains 'dev') but the host listens on {string.Join(", ", exposed)}; " +
                "dev login lets anyone sign in as anyone, so it only runs on 127.0.0.1/localhost. Bind to loopback or remove 'dev'.");
        }

        logger.LogWarning("Dev login is ON: anyone who can reach this loopback address can sign in as any user");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
