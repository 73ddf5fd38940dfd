using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DevPlatform.Catalog.File;

/// <summary>
/// Not ready while the catalog file given at start-up could not be applied: the host keeps running (and serving what
/// the database already holds) so the operator reads the reason at <c>/readyz</c> and in one log line, and a load
/// balancer sends no traffic until a fixed file is applied and the host restarted.
/// </summary>
internal sealed class CatalogFileHealthCheck : IHealthCheck
{
    private volatile string? problem;

    public void Failed(string message) => problem = message;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(problem is null ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(problem));
}
