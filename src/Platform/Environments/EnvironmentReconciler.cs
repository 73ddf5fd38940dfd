using System.Text.Json;
using DevPlatform.Compute;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Environments;

/// <summary>
/// Keeps the database and the backend in step. At start-up (before the host serves; polls only, nothing waits): re-attaches
/// to workloads still alive (re-adding their routes), marks dead ones Stopped, carries on in the background the starts
/// whose host is gone or was this one before its restart, finishes their stops, and stops strays no environment owns —
/// never two workloads for one environment, never an orphan. Then, as the <c>reconciler</c> job (every
/// <c>Environments:ReconcileSeconds</c>), notices workloads that exited on their own and carries on starts and stops
/// whose host stopped checking in (SIGTERM or kill -9 mid-start): a start goes on to running or to its timeout, counted
/// from when it was asked for.
/// </summary>
internal sealed class EnvironmentReconciler(
    IServiceScopeFactory scopes, SelectedBackend selected, EnvironmentLifecycle lifecycle, EnvironmentRecorder recorder,
    Hosting.HostNode node, Microsoft.Extensions.Options.IOptions<Jobs.JobsOptions> jobs, BackendReadiness readiness, IHostApplicationLifetime lifetime,
    TimeProvider time, ILogger<EnvironmentReconciler> logger) : IHostedService
{
    private Task? retrying;

    /// <summary>
    /// Before the host serves. When the backend does not answer (the Kubernetes API briefly unreachable), the host serves
    /// anyway, not ready with the reason, and retries the pass in the background (1 s doubling to 30 s) until it succeeds.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!await TryStartupPassAsync(cancellationToken))
        {
            retrying = Task.Run(() => RetryStartupPassAsync(lifetime.ApplicationStopping), CancellationToken.None);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => retrying?.WaitAsync(cancellationToken) ?? Task.CompletedTask;

    private async Task RetryStartupPassAsync(CancellationToken stopping)
    {
        var backoff = new Hosting.Backoff();
        try
        {
            do
            {
                await backoff.WaitAsync(time, stopping);
            }
            while (!await TryStartupPassAsync(stopping));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // stopping
        }
    }

    private async Task<bool> TryStartupPassAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ReconcileAsync(startup: true, cancellationToken);
            readiness.Succeeded();
            return true;
        }
        catch (Exception e) when (e is not (OperationCanceledException or System.Data.Common.DbException or InvalidOperationException))
        {
            var problem = $"The {selected.Backend.Name} backend did not answer the start-up reconciliation ({e.Message}); retrying.";
            logger.LogWarning("{Problem}", problem);
            readiness.Failed(problem);
            return false;
        }
    }

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

            if (environment.State is EnvironmentState.Pending or EnvironmentState.Starting)
            {
                alive.Add(environment.Id); // never a stray: its workload, if any, is carried on
                if (await ClaimAsync(db, environment, cancellationToken))
                {
                    lifecycle.CarryOn(environment.Id); // in the background: a start never holds up serving or this pass
                }

                continue;
            }

            if (environment.State == EnvironmentState.Stopping && !await ClaimAsync(db, environment, cancellationToken))
            {
                alive.Add(environment.Id);
                continue;
            }

            if (environment.BackendState is null)
            {
                await lifecycle.FailAsync(db, environment, "Stopped (finished after its host stopped; no workload was recorded)", EnvironmentState.Stopped);
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
            if (environment.State == EnvironmentState.Stopping)
            {
                await backend.StopAsync(spec, state, cancellationToken);
                environment.StoppedAt = time.GetUtcNow();
                await recorder.TransitionAsync(db, environment, EnvironmentState.Stopped, "Stopped (finished after its host stopped)", cancellationToken);
            }
            else if (startup)
            {
                await lifecycle.MarkRunningAsync(db, environment, cancellationToken);
                logger.LogInformation("Re-attached to environment {User}/{Environment}", environment.User.Name, environment.Name);
            }
        }

        // Asked after the backend looked: an environment created since this pass listed them (its row comes before its
        // workload) is owned, as are shared services' workloads (starting ones included: the supervisor's, never strays).
        var strays = await backend.StopStraysAsync(async (found, ct) =>
        {
            var owned = new HashSet<Guid>(alive);
            owned.UnionWith(await db.Environments.Where(e => found.Contains(e.Id) && EnvironmentStates.Active.Contains(e.State)).Select(e => e.Id).ToListAsync(ct));
            owned.UnionWith(await db.SharedServices.Where(s => found.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct));
            return owned;
        }, cancellationToken);
        foreach (var stray in strays)
        {
            logger.LogWarning("Stopped a workload of environment {EnvironmentId} that no active environment owns", stray);
        }

        return (active.Count, ended, strays.Count);
    }

    /// <summary>
    /// Makes this host the one acting on a start or stop its host left (gone, or this host before its restart). The write is
    /// conditional on the owner read, so when two hosts' passes meet only one carries it on.
    /// </summary>
    private async Task<bool> ClaimAsync(PlatformDbContext db, UserEnvironment environment, CancellationToken cancellationToken)
    {
        if (environment.Host == node.NodeId)
        {
            return true;
        }

        logger.LogWarning("Carrying on {User}/{Environment}, left {State} by host {Host}, which stopped", environment.User.Name, environment.Name, environment.State, environment.Host ?? "(none)");
        environment.Host = node.NodeId;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.Entry(environment).State = EntityState.Detached; // another host claimed or changed it first
            return false;
        }
    }
}
