using System.Text.Json;
using DevPlatform.Abstractions;
using DevPlatform.Compute;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DevPlatform.Environments;

/// <summary>
/// Keeps the database and the backend in step. At start-up (before the host serves): re-attaches to
/// workloads still alive (re-adding their routes), marks dead ones Stopped, fails starts the host did not
/// finish, and stops strays no environment owns — never two workloads for one environment, never an
/// orphan. Then every <c>Environments:ReconcileSeconds</c>, notices workloads that exited on their own.
/// </summary>
internal sealed class EnvironmentReconciler(
    IServiceScopeFactory scopes, SelectedBackend selected, EnvironmentLifecycle lifecycle, EnvironmentRecorder recorder,
    ReadinessProbe readiness, IOptions<EnvironmentOptions> options, TimeProvider time, ILogger<EnvironmentReconciler> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await ReconcileAsync(startup: true, cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.ReconcileSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ReconcileAsync(startup: false, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Reconciling environments failed; retrying in {Seconds} s", options.Value.ReconcileSeconds);
            }
        }
    }

    private async Task ReconcileAsync(bool startup, CancellationToken cancellationToken)
    {
        var backend = selected.Backend;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
        var active = await db.Environments.Include(e => e.User).Where(e => EnvironmentStates.Active.Contains(e.State) && e.Backend == backend.Name).ToListAsync(cancellationToken);
        var alive = new HashSet<Guid>();
        foreach (var environment in active)
        {
            if (!startup && environment.State != EnvironmentState.Running)
            {
                alive.Add(environment.Id); // a start or stop in progress owns it
                continue;
            }

            if (environment.BackendState is null)
            {
                await lifecycle.FailAsync(db, environment, "The platform restarted before the environment started; start it again.");
                continue;
            }

            var spec = EnvironmentLifecycle.SpecOf(environment);
            var state = JsonDocument.Parse(environment.BackendState).RootElement;
            var status = await backend.PollAsync(spec, state, cancellationToken);
            if (!status.Running)
            {
                await lifecycle.FailAsync(db, environment, startup
                    ? $"The workload ended while the platform was down ({status.Detail})."
                    : $"The workload ended on its own ({status.Detail}).", environment.State == EnvironmentState.Running ? EnvironmentState.Stopped : EnvironmentState.Failed);
                continue;
            }

            alive.Add(environment.Id);
            if (startup)
            {
                await ReattachAsync(db, environment, spec, state, backend, cancellationToken);
            }
        }

        foreach (var stray in await backend.StopStraysAsync(alive, cancellationToken))
        {
            logger.LogWarning("Stopped a workload of environment {EnvironmentId} that no active environment owns", stray);
        }
    }

    private async Task ReattachAsync(PlatformDbContext db, UserEnvironment environment, EnvironmentSpec spec, JsonElement state, IComputeBackend backend, CancellationToken cancellationToken)
    {
        switch (environment.State)
        {
            case EnvironmentState.Running:
                await lifecycle.MarkRunningAsync(db, environment, cancellationToken);
                logger.LogInformation("Re-attached to environment {User}/{Environment}", environment.User.Name, environment.Name);
                break;
            case EnvironmentState.Stopping:
                await backend.StopAsync(spec, state, cancellationToken);
                environment.StoppedAt = time.GetUtcNow();
                await recorder.TransitionAsync(db, environment, EnvironmentState.Stopped, "Stopped (finished after a platform restart)", cancellationToken);
                break;
            default:
                using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(environment.StartTimeoutSeconds)))
                {
                    try
                    {
                        await readiness.WaitAsync(backend, spec, new BackendStart(new Uri(environment.Endpoint!), state), timeout.Token);
                        await lifecycle.MarkRunningAsync(db, environment, cancellationToken);
                    }
                    catch (Exception e) when (e is OperationCanceledException or ReadinessException)
                    {
                        await lifecycle.FailAsync(db, environment, "The start did not finish across a platform restart; start it again.");
                    }
                }

                break;
        }
    }
}
