using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace DevPlatform.Kubernetes.Client;

/// <summary>
/// Our retry policy under the official client (which has none): 429 and 5xx answers and failed connections are sent
/// again up to <see cref="MaxAttempts"/> times, waiting Retry-After when the server gives one (capped at 30 s), else 250 ms
/// doubling with jitter. Other refusals come back at once.
/// </summary>
public sealed class RetryHandler(ILogger logger) : DelegatingHandler
{
    public const int MaxAttempts = 6;
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException e) when (attempt < MaxAttempts && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Kubernetes API {Method} {Path} failed ({Message}); retrying", request.Method, request.RequestUri?.PathAndQuery, e.Message);
                await Task.Delay(Backoff(attempt, null), cancellationToken);
                continue;
            }

            var status = (int)response.StatusCode;
            if ((status == 429 || status >= 500) && attempt < MaxAttempts)
            {
                var delay = Backoff(attempt, response.Headers.RetryAfter);
                logger.LogInformation("Kubernetes API {Method} {Path} answered {Status}; retrying in {Delay}", request.Method, request.RequestUri?.PathAndQuery, status, delay);
                response.Dispose();
                await Task.Delay(delay, cancellationToken);
                continue;
            }

            return response;
        }
    }

    /// <summary>Retry-After when the server gives it (capped), else 250 ms doubling with jitter.</summary>
    private static TimeSpan Backoff(int attempt, RetryConditionHeaderValue? retryAfter)
    {
        if (retryAfter?.Delta is { } delta)
        {
            return delta < MaxBackoff ? delta : MaxBackoff;
        }

        var exponential = TimeSpan.FromMilliseconds(250 * Math.Pow(2, attempt - 1) * (0.8 + (0.4 * Random.Shared.NextDouble())));
        return exponential < MaxBackoff ? exponential : MaxBackoff;
    }
}
