using DevPlatform.Abstractions;
using DevPlatform.Hosting;
using DevPlatform.Kubernetes.Services;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace DevPlatform.Services;

/// <summary>
/// Keeps every enabled service running: starts it, notices when it dies and starts it again with back-off (2 s,
/// 4 s, … at most 5 minutes between attempts), stops disabled ones, and after a platform restart adopts workloads that
/// are still alive. A service is supervised by the host that runs it; one whose host is gone is taken over.
/// </summary>
internal sealed class ServiceSupervisor(
    IServiceScopeFactory scopes, HostNode node, TimeProvider time, IOptions<ServiceOptions> options, IOptions<Jobs.JobsOptions> jobs, IMemoryCache cache,
    IHostApplicationLifetime lifetime, ILogger<ServiceSupervisor> logger)
    : BackgroundService
{
    private readonly SemaphoreSlim passing = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Services are told the hub's address, which is known once the server listens: the first pass waits for that.
        var serving = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => serving.TrySetResult()))
        {
            try
            {
                await serving.Task.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SuperviseSeconds), time);
        do
        {
            try
            {
                await PassAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Service supervision pass failed; retrying on the next tick");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One look at every service this host may supervise.</summary>
    public async Task PassAsync(CancellationToken cancellationToken)
    {
        await passing.WaitAsync(cancellationToken);
        try
        {
            await PassOnceAsync(cancellationToken);
        }
        finally
        {
            passing.Release();
        }
    }

    /// <summary>Stops the service's workload so the next pass starts it with its current definition.</summary>
    public Task RestartAsync(string name, CancellationToken cancellationToken) => WithServiceAsync(name, async (services, db, service) =>
    {
        if (service.BackendState is not null)
        {
            var store = services.GetRequiredService<ServiceStore>();
            await services.GetRequiredService<ServiceRunner>().StopAsync(service, ServiceStore.SpecOf(service), store.SecretsOf(service), cancellationToken);
            service.BackendState = null;
            service.Endpoint = null;
            await SetAsync(db, service, ServiceState.Stopped, "Stopped to apply a changed definition");
        }
    }, cancellationToken);

    /// <summary>An admin's start of a failed service is tried at once, not after its back-off.</summary>
    public Task ResetBackoffAsync(string name, CancellationToken cancellationToken) => WithServiceAsync(name, async (_, db, service) =>
    {
        if (service.State == ServiceState.Failed)
        {
            await SetAsync(db, service, ServiceState.Stopped, "Start requested");
        }
    }, cancellationToken);

    private async Task WithServiceAsync(string name, Func<IServiceProvider, PlatformDbContext, SharedService, Task> action, CancellationToken cancellationToken)
    {
        await passing.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
            if (await db.SharedServices.FirstOrDefaultAsync(s => s.Name == name, cancellationToken) is { } service)
            {
                await action(scope.ServiceProvider, db, service);
            }
        }
        finally
        {
            passing.Release();
        }
    }

    public override void Dispose()
    {
        passing.Dispose();
        base.Dispose();
    }

    private async Task PassOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
        var live = await HostHeartbeat.LiveAsync(db, TimeSpan.FromSeconds(jobs.Value.CheckinSeconds), time.GetUtcNow(), cancellationToken);
        var services = await db.SharedServices.ToListAsync(cancellationToken);
        foreach (var service in services.Where(s => s.Host is null || s.Host == node.NodeId || !live.Contains(s.Host)))
        {
            await SuperviseAsync(scope.ServiceProvider, db, service, cancellationToken);
        }
    }

    private async Task SuperviseAsync(IServiceProvider services, PlatformDbContext db, SharedService service, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<ServiceStore>();
        var runner = services.GetRequiredService<ServiceRunner>();
        var spec = ServiceStore.SpecOf(service);
        var secrets = store.SecretsOf(service);
        if (service.BackendState is not null)
        {
            var status = await runner.PollAsync(service, spec, secrets, cancellationToken);
            var alive = status.Condition is ServiceCondition.Available or ServiceCondition.Progressing;
            if (alive && spec.Enabled)
            {
                if (service.Host != node.NodeId)
                {
                    service.Host = node.NodeId;
                    await RecordAsync(db, service, "Supervised by this host now");
                }

                if (status.Condition == ServiceCondition.Available && service.State != ServiceState.Running)
                {
                    service.StartedAt = time.GetUtcNow();
                    await SetAsync(db, service, ServiceState.Running, $"Running at {ServiceRunner.BaseUrl(spec.Name)}");
                }
                else if (status.Condition == ServiceCondition.Progressing && (service.State != ServiceState.Starting || await LastMessageAsync(db, service) != status.Detail))
                {
                    await SetAsync(db, service, ServiceState.Starting, status.Detail); // running means available: a pod that is not is shown starting, with why
                }

                return;
            }

            if (alive)
            {
                await runner.StopAsync(service, spec, secrets, cancellationToken);
                service.BackendState = null;
                service.Endpoint = null;
                await SetAsync(db, service, ServiceState.Stopped, "Stopped (disabled)");
                return;
            }

            service.Restarts++;
            service.BackendState = null;
            service.Endpoint = null;
            if (status.Condition == ServiceCondition.Failed)
            {
                await runner.StopAsync(service, spec, secrets, cancellationToken); // it cannot start without a change; stop it rather than let it retry forever
                await SetAsync(db, service, ServiceState.Failed, $"Could not start: {status.Detail}", status.Detail);
                return;
            }

            await SetAsync(db, service, ServiceState.Failed, $"The workload ended ({status.Detail}); it is restarted", status.Detail);
            return;
        }

        if (!spec.Enabled)
        {
            if (service.State != ServiceState.Stopped)
            {
                await SetAsync(db, service, ServiceState.Stopped, "Stopped (disabled)");
            }

            return;
        }

        if (service.State == ServiceState.Failed && time.GetUtcNow() < service.UpdatedAt + Backoff(service.Restarts))
        {
            return;
        }

        service.Host = node.NodeId;
        await SetAsync(db, service, ServiceState.Starting, service.Restarts == 0 ? "Starting" : $"Starting again (restart {service.Restarts})");
        try
        {
            var progress = new SynchronousProgress(message => db.ServiceEvents.Add(new ServiceEvent { ServiceId = service.Id, At = time.GetUtcNow(), Message = message }));
            var start = await runner.StartAsync(service, spec, secrets, progress, cancellationToken);
            service.BackendState = start.State.GetRawText();
            service.Endpoint = start.Endpoint.ToString();
            service.StartedAt = time.GetUtcNow();
            service.FailureReason = null;
            if (runner.AvailableOnStart)
            {
                await SetAsync(db, service, ServiceState.Running, $"Running at {ServiceRunner.BaseUrl(spec.Name)}");
            }
            else
            {
                await SetAsync(db, service, ServiceState.Starting, "Waiting for a replica to become available");
            }
        }
        catch (BackendStartException e)
        {
            service.Restarts++;
            await SetAsync(db, service, ServiceState.Failed, $"Could not start: {e.Message}", e.Message);
        }
    }

    /// <summary>2 s after the first failure, doubling, at most 5 minutes.</summary>
    public static TimeSpan Backoff(int restarts) => TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, Math.Min(restarts, 9))));

    private async Task SetAsync(PlatformDbContext db, SharedService service, ServiceState state, string message, string? failure = null)
    {
        service.State = state;
        service.FailureReason = failure ?? (state == ServiceState.Failed ? service.FailureReason : null);
        service.UpdatedAt = time.GetUtcNow();
        await RecordAsync(db, service, message);
        cache.Remove(ServiceProxy.CacheKey(service.Name));
        logger.LogInformation("Service {Service}: {Message}", service.Name, message);
    }

    private static Task<string?> LastMessageAsync(PlatformDbContext db, SharedService service) =>
        db.ServiceEvents.Where(e => e.ServiceId == service.Id).OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Select(e => e.Message).FirstOrDefaultAsync();

    private async Task RecordAsync(PlatformDbContext db, SharedService service, string message)
    {
        db.ServiceEvents.Add(new ServiceEvent { ServiceId = service.Id, At = time.GetUtcNow(), Message = message });
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>Progress reported on the caller's thread (Progress&lt;T&gt; would post it elsewhere, racing the database context).</summary>
    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
