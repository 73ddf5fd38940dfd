using System.Text.Json;
using DevPlatform.Abstractions;
using DevPlatform.Compute;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Environments;

/// <summary>
/// Keeps the database and the backend in step. At start-up (before the host serves): re-attaches to
/// workloads still alive (re-adding their routes), marks dead ones Stopped, fails starts the host did not
/// finish, and stops strays no environment owns — never two workloads for one environment, never an
/// orphan. Then, as the <c>reconciler</c> job (every <c>Environments:ReconcileSeconds</c>), notices workloads
/// that exited on their own, and takes over starts and stops whose host stopped checking in (killed mid-start):
/// the workload is re-attached when it is alive and ready, the environment failed with the reason otherwise.
/// </summary>
internal sealed class EnvironmentReconciler(
    IServiceScopeFactory scopes, SelectedBackend selected, EnvironmentLifecycle lifecycle, EnvironmentRecorder recorder,
    ReadinessProbe readiness, Hosting.HostNode node, Microsoft.Extensions.Options.IOptions<Jobs.JobsOptions> jobs, TimeProvider time, ILogger<EnvironmentReconciler> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => ReconcileAsync(startup: true, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>One pass after start-up; says how many environments it checked and what it changed.</summary>
    public async Task<string> PassAsync(CancellationToken cancellationToken)
    {
        var (checkedCount, ended, strays) = await ReconcileAsync(startup: false, cancellationToken);
        return $"checked {checkedCount} running; {ended} had ended on their own; stopped {strays} stray workload(s).";
    }

    private async Task<(int Checked, int Ended, int Strays)> ReconcileAsync(bool startup, CancellationToken cancellationToken)
    {
        var backend = selected.Backend;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
        var active = await db.Environments.Include(e => e.User).Where(e => EnvironmentStates.Active.Contains(e.State) && e.Backend == backend.Name).ToListAsync(cancellationToken);
        var alive = new HashSet<Guid>();
        var ended = 0;
        var live = await Hosting.HostHeartbeat.LiveAsync(db, TimeSpan.FromSeconds(jobs.Value.CheckinSeconds), time.GetUtcNow(), cancellationToken);
        foreach (var environment in active)
        {
            if (environment.State != EnvironmentState.Running && environment.Host is { } owner && (owner == node.NodeId ? !startup : live.Contains(owner)))
            {
                alive.Add(environment.Id); // this host or another live one is starting or stopping it; that host finishes it
                continue;
            }

            var orphan = !startup && environment.State != EnvironmentState.Running; // its host stopped checking in mid-start or mid-stop
            if (orphan)
            {
                logger.LogWarning("Taking over {User}/{Environment}, left {State} by host {Host}, which stopped checking in", environment.User.Name, environment.Name, environment.State, environment.Host);
                environment.Host = node.NodeId;
            }

            if (environment.BackendState is null)
            {
                await lifecycle.FailAsync(db, environment, orphan
                    ? "The host that was starting it stopped before the workload was created; start it again."
                    : "The platform restarted before the environment started; start it again.");
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
                ended++;
                continue;
            }

            alive.Add(environment.Id);
            if (startup || orphan)
            {
                await ReattachAsync(db, environment, spec, state, backend, cancellationToken);
            }
        }

        // Shared services run on the same backend; their workloads (starting ones included) are the supervisor's, never strays.
        alive.UnionWith(await db.SharedServices.Select(s => s.Id).ToListAsync(cancellationToken));
        var strays = await backend.StopStraysAsync(alive, cancellationToken);
        foreach (var stray in strays)
        {
            logger.LogWarning("Stopped a workload of environment {EnvironmentId} that no active environment owns", stray);
        }

        return (active.Count, ended, strays.Count);
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
