using DevPlatform.Abstractions;

namespace DevPlatform.Environments;

/// <summary>
/// Ready when the workload answers its base URL with any status below 500 (redirects not followed), as
/// JupyterHub checks a spawned server, and the answer is the workload's own (not another process's that took its port on a
/// shared host); a workload that dies first fails at once instead of timing out.
/// </summary>
internal sealed class ReadinessProbe(IHttpClientFactory clients, ILogger<ReadinessProbe> logger)
{
    public const string ClientName = "readiness";

    public async Task WaitAsync(IComputeBackend backend, EnvironmentSpec spec, BackendStart started, CancellationToken cancellationToken)
    {
        var client = clients.CreateClient(ClientName);
        var url = new Uri(started.Endpoint, spec.StripPrefix ? "/" : spec.BaseUrl);
        // Most workloads bind within milliseconds of starting: probe every millisecond at first, then back off to 250 ms.
        var delay = TimeSpan.FromMilliseconds(1);
        var foreignAnswer = false;
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var status = await backend.PollAsync(spec, started.State, cancellationToken);
            if (!status.Running)
            {
                throw new ReadinessException($"The workload stopped before it was ready: {status.Detail}.");
            }

            if (await backend.ListensAsync(spec, started.State, cancellationToken)) // not yet: no connection to be refused
            {
                try
                {
                    using var response = await client.GetAsync(url, cancellationToken);
                    if ((int)response.StatusCode < 500)
                    {
                        if (await backend.ServesOwnEndpointAsync(spec, started.State, cancellationToken))
                        {
                            logger.LogInformation("{Url} answered {Status} after {Attempts} probe(s)", url, (int)response.StatusCode, attempt + 1);
                            return;
                        }

                        if (!foreignAnswer)
                        {
                            logger.LogWarning("{Url} answered {Status}, but not from the workload: another process holds its port", url, (int)response.StatusCode);
                            foreignAnswer = true;
                        }
                    }
                }
                catch (HttpRequestException e)
                {
                    logger.LogDebug("Readiness probe {Attempt} of {Url}: {Message}", attempt + 1, url, e.Message); // not listening yet
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // One probe outlived the client's timeout (a loaded machine, a slow first page): a miss, never the end of
                    // the start; only the start timeout (the token) ends it.
                    logger.LogDebug("Readiness probe {Attempt} of {Url} got no answer in time", attempt + 1, url);
                }
            }

            await Task.Delay(delay, cancellationToken);
            delay = NextDelay(attempt, delay);
        }
    }

    private static TimeSpan NextDelay(int attempt, TimeSpan delay) => attempt < 20 ? delay : TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
}
