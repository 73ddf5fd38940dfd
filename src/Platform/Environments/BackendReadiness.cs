using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DevPlatform.Environments;

/// <summary>
/// Not ready while the compute backend has not answered the start-up reconciliation (the Kubernetes API unreachable for a
/// moment during an upgrade): the host serves, <c>/readyz</c> says why with 503, and the pass is retried until it succeeds.
/// </summary>
internal sealed class BackendReadiness : IHealthCheck
{
    private volatile string? problem = "The start-up reconciliation has not run yet.";

    public void Failed(string message) => problem = message;

    public void Succeeded() => problem = null;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(problem is null ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(problem));
}
