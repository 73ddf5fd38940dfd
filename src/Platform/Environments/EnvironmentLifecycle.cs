using System.Collections.Concurrent;
using System.Text.Json;
using DevPlatform.Abstractions;
using DevPlatform.Api;
using DevPlatform.Audit;
using DevPlatform.Compute;
using DevPlatform.Hub;
using DevPlatform.Identity;
using DevPlatform.Persistence;
using DevPlatform.Proxy;
using DevPlatform.Validation;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Environments;

/// <summary>
/// Launch, start, stop and delete. Requests return as soon as the environment is recorded; starting runs
/// in the background under the profile's start timeout, and a start that fails or times out removes
/// whatever the backend created and says why. One transition at a time per environment.
/// </summary>
internal sealed class EnvironmentLifecycle(
    IServiceScopeFactory scopes, SelectedBackend selected, EnvironmentRecorder recorder, ProxyRouteTable routes,
    ReadinessProbe readiness, HubUrls hubUrls, Identity.IdentityEnvironment identityEnvironment, Strategies.NamedStrategies<IAcceleratorKind> kinds,
    IHostApplicationLifetime lifetime, TimeProvider time, Metrics.PlatformMetrics metrics, Hosting.HostNode node, EnvironmentHosts hosts, ILogger<EnvironmentLifecycle> logger)
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> locks = new();
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> starts = new();

    private IComputeBackend Backend => selected.Backend;

    public async Task<UserEnvironment> LaunchAsync(string userName, LaunchRequest request, string actor, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<PlatformDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken); // the limits hold until the insert commits
        var plan = await services.GetRequiredService<LaunchPolicy>().CheckAsync(userName, request, cancellationToken);
        if (await db.Environments.AnyAsync(e => e.UserId == plan.User.Id && e.Name == request.Name, cancellationToken))
        {
            throw new ResourceConflictException($"You already have an environment named '{request.Name}'; start it (POST …/{request.Name}/start) or choose another name.");
        }

        var now = time.GetUtcNow();
        var environment = new UserEnvironment
        {
            Id = Guid.NewGuid(), UserId = plan.User.Id, Name = request.Name, GroupName = plan.Group.Name, ProfileName = plan.Profile.Name,
            Request = PlatformJson.Serialize(request), Spec = "{}", Backend = Backend.Name, State = EnvironmentState.Pending, CreatedAt = now, UpdatedAt = now,
        };
        Resolve(environment, plan, await Services.ServiceVariables.ForGroupAsync(db, plan.Group.Name, hubUrls.ApiUrl(), cancellationToken));
        db.Environments.Add(environment);
        services.GetRequiredService<AuditLog>().Record(actor, "launch", "environment", $"{userName}/{request.Name}", null,
            request with { Image = plan.Image, Size = plan.Size.Name, Group = plan.Group.Name, Bundles = plan.Bundles.Select(b => b.Name).ToList() }); // what was launched, defaults filled in
        await recorder.TransitionAsync(db, environment, EnvironmentState.Pending, $"Requested: profile {plan.Profile.Name}, size {plan.Size.Name}, image {plan.Image}, group {plan.Group.Name}; costs {plan.Cost.HourlyRate.ToString("$0.####", System.Globalization.CultureInfo.InvariantCulture)}/h ({plan.Cost.Basis})", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        BeginStart(environment.Id);
        return environment;
    }

    /// <summary>Starts a stopped or failed environment again, re-checking the policy with its original request.</summary>
    public Task<UserEnvironment> StartAsync(Guid id, string actor, CancellationToken cancellationToken) => StartAsync(id, actor, null, cancellationToken);

    /// <summary>Starts a stopped or failed environment again with <paramref name="request"/> (kept for later starts), or with its original request when null.</summary>
    public async Task<UserEnvironment> StartAsync(Guid id, string actor, LaunchRequest? request, CancellationToken cancellationToken)
    {
        var gate = locks.GetOrAdd(id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var services = scope.ServiceProvider;
            var db = services.GetRequiredService<PlatformDbContext>();
            var environment = await db.Environments.Include(e => e.User).FirstAsync(e => e.Id == id, cancellationToken);
            if (environment.State.IsActive())
            {
                throw new ResourceConflictException($"Environment '{environment.Name}' is already {environment.State.ToString().ToLowerInvariant()}.");
            }

            await services.GetRequiredService<Costs.UsageMeter>().MeterAsync([id], cancellationToken); // the last run's tail, at its own rate
            request = request is null ? PlatformJson.Deserialize<LaunchRequest>(environment.Request) : request with { Name = environment.Name };
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken); // the limits hold until the start commits
            var plan = await services.GetRequiredService<LaunchPolicy>().CheckAsync(environment.User.Name, request, cancellationToken);
            environment.Request = PlatformJson.Serialize(request);
            await db.ApiTokens.Where(t => t.EnvironmentId == id).ExecuteDeleteAsync(cancellationToken);
            Resolve(environment, plan, await Services.ServiceVariables.ForGroupAsync(db, plan.Group.Name, hubUrls.ApiUrl(), cancellationToken));
            (environment.BackendState, environment.Endpoint, environment.FailureReason, environment.StartedAt, environment.StoppedAt, environment.MeteredUntil) = (null, null, null, null, null, null);
            services.GetRequiredService<AuditLog>().Record(actor, "start", "environment", $"{environment.User.Name}/{environment.Name}", null, null);
            await recorder.TransitionAsync(db, environment, EnvironmentState.Pending, "Start requested", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            BeginStart(id);
            return environment;
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task StopAsync(Guid id, string reason, CancellationToken cancellationToken)
    {
        if (starts.TryRemove(id, out var start))
        {
            await start.CancelAsync(); // the start task cleans up what it created
        }

        var gate = locks.GetOrAdd(id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
            var environment = await db.Environments.Include(e => e.User).FirstAsync(e => e.Id == id, cancellationToken);
            if (!environment.State.IsActive())
            {
                return;
            }

            routes.Remove(environment.User.Name, environment.Name);
            environment.Host = node.NodeId;
            await recorder.TransitionAsync(db, environment, EnvironmentState.Stopping, reason, cancellationToken);
            if (environment.BackendState is not null)
            {
                await Backend.StopAsync(SpecOf(environment), JsonDocument.Parse(environment.BackendState).RootElement, cancellationToken);
            }

            await db.ApiTokens.Where(t => t.EnvironmentId == id && t.Kind != ApiTokenKind.Server).ExecuteDeleteAsync(cancellationToken);
            environment.StoppedAt = time.GetUtcNow();
            await recorder.TransitionAsync(db, environment, EnvironmentState.Stopped, "Stopped", cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task DeleteAsync(Guid id, string actor, CancellationToken cancellationToken)
    {
        await StopAsync(id, "Stopping before delete", cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Costs.UsageMeter>().MeterAsync([id], cancellationToken); // its usage outlives it
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
        var environment = await db.Environments.Include(e => e.User).FirstAsync(e => e.Id == id, cancellationToken);
        scope.ServiceProvider.GetRequiredService<AuditLog>().Record(actor, "delete", "environment", $"{environment.User.Name}/{environment.Name}", PlatformJson.Deserialize<LaunchRequest>(environment.Request), null);
        db.Environments.Remove(environment);
        await db.SaveChangesAsync(cancellationToken);
        locks.TryRemove(id, out _);
    }

    public static EnvironmentSpec SpecOf(UserEnvironment environment) => PlatformJson.Deserialize<EnvironmentSpec>(environment.Spec);

    /// <param name="serviceVariables">What the group's shared services tell environments (e.g. MLFLOW_TRACKING_URI).</param>
    private void Resolve(UserEnvironment environment, LaunchPlan plan, Dictionary<string, string> serviceVariables)
    {
        var pool = plan.Profile.Pool;
        using var configuration = JsonDocument.Parse(pool.Configuration);
        var placement = kinds.Find(pool.AcceleratorKind)?.Place(configuration.RootElement, plan.Size.Resources()) ?? AcceleratorPlacement.None;
        var spec = EnvironmentSpecBuilder.Build(environment.Id, environment.Name, plan, HubEnvironment.TokenPlaceholder, hubUrls.ApiUrl(), placement,
            hosts.Enabled ? (hosts.Origin(plan.User.Name), hosts.HubOrigin) : null);
        spec = spec with { Environment = serviceVariables.Concat(spec.Environment.Where(v => !serviceVariables.ContainsKey(v.Key))).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal) };
        environment.Spec = PlatformJson.Serialize(spec);
        environment.GroupName = plan.Group.Name;
        environment.ProfileName = plan.Profile.Name;
        environment.PoolName = plan.Profile.Pool.Name;
        environment.Host = node.NodeId;
        environment.CpuRequest = plan.CpuRequest;
        environment.MemoryRequest = plan.MemoryRequest;
        environment.Accelerators = plan.Size.Accelerators;
        environment.HourlyRate = plan.Cost.HourlyRate;
        environment.StartTimeoutSeconds = plan.Profile.StartTimeoutSeconds;
    }

    private void BeginStart(Guid id)
    {
        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        starts[id] = cancellation;
        _ = Task.Run(() => RunStartAsync(id, cancellation), CancellationToken.None);
    }

    private async Task RunStartAsync(Guid id, CancellationTokenSource cancellation)
    {
        var gate = locks.GetOrAdd(id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(CancellationToken.None);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
            var environment = await db.Environments.Include(e => e.User).FirstAsync(e => e.Id == id, CancellationToken.None);
            if (environment.State != EnvironmentState.Pending || cancellation.IsCancellationRequested)
            {
                return;
            }

            await StartAndWaitAsync(db, environment, cancellation.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Starting environment {EnvironmentId} failed unexpectedly", id);
        }
        finally
        {
            starts.TryRemove(id, out _);
            cancellation.Dispose();
            gate.Release();
        }
    }

    private async Task StartAndWaitAsync(PlatformDbContext db, UserEnvironment environment, CancellationToken stopRequested)
    {
        var requestedAt = environment.UpdatedAt; // the pending transition: when the launch or start was asked for
        var spec = HubEnvironment.WithToken(await identityEnvironment.FillAsync(SpecOf(environment), CancellationToken.None), await NewServerTokenAsync(environment));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopRequested);
        timeout.CancelAfter(TimeSpan.FromSeconds(environment.StartTimeoutSeconds));
        await recorder.TransitionAsync(db, environment, EnvironmentState.Starting, $"Starting on the {Backend.Name} backend", CancellationToken.None);
        string reason;
        try
        {
            if (environment.User.HomeArchivedAt is not null)
            {
                await recorder.ProgressAsync(db, environment, "Your home was archived after a long time without sign-in; restoring it first", CancellationToken.None);
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<Storage.Backups.DormantHomes>().RestoreAsync(environment.User.Name, timeout.Token);
            }

            var progress = new ProgressWriter(line => recorder.ProgressAsync(db, environment, line, CancellationToken.None));
            BackendStart started;
            try
            {
                started = await Backend.StartAsync(spec, progress, timeout.Token);
            }
            finally
            {
                await progress.FlushAsync(); // the context is used by one writer at a time: progress lines first
            }

            environment.BackendState = started.State.GetRawText();
            environment.Endpoint = started.Endpoint.ToString();
            await db.SaveChangesAsync(CancellationToken.None); // persisted before waiting: a restarted host can find it
            await readiness.WaitAsync(Backend, spec, started, timeout.Token);
            await MarkRunningAsync(db, environment, CancellationToken.None);
            metrics.LaunchDuration.Record((time.GetUtcNow() - requestedAt).TotalSeconds, new("profile", environment.ProfileName), new("pool", environment.PoolName));
            return;
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return; // the host is stopping: the reconciler picks this start up at the next start-up
        }
        catch (OperationCanceledException) when (stopRequested.IsCancellationRequested)
        {
            reason = "Start cancelled by a stop request";
        }
        catch (OperationCanceledException)
        {
            reason = $"Did not become ready within the profile's start timeout of {environment.StartTimeoutSeconds} s";
        }
        catch (BackendStartException e)
        {
            reason = e.Message;
        }
        catch (ReadinessException e)
        {
            reason = e.Message;
        }
#pragma warning disable CA1031 // whatever went wrong, the environment must end Failed with a reason, not hang in Starting
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogError(e, "Starting environment {EnvironmentId} failed unexpectedly", environment.Id);
            reason = $"The platform could not start it: {e.Message}";
        }

        await FailAsync(db, environment, reason, stopRequested.IsCancellationRequested ? EnvironmentState.Stopped : EnvironmentState.Failed);
    }

    /// <summary>The workload's hub token for this start (an earlier start's goes); only its SHA-256 is stored.</summary>
    private async Task<string> NewServerTokenAsync(UserEnvironment environment)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
        await db.ApiTokens.Where(t => t.EnvironmentId == environment.Id && t.Kind == ApiTokenKind.Server).ExecuteDeleteAsync(CancellationToken.None);
        var token = scope.ServiceProvider.GetRequiredService<HubTokenService>().AddServerToken(environment.Id, environment.UserId, environment.User.Name, environment.Name);
        await db.SaveChangesAsync(CancellationToken.None);
        return token;
    }

    internal async Task MarkRunningAsync(PlatformDbContext db, UserEnvironment environment, CancellationToken cancellationToken)
    {
        var spec = SpecOf(environment);
        environment.StartedAt ??= time.GetUtcNow();
        routes.Set(new ProxyRoute(environment.Id, environment.User.Name, environment.Name, new Uri(environment.Endpoint!), spec.StripPrefix));
        await recorder.TransitionAsync(db, environment, EnvironmentState.Running, $"Running at {spec.BaseUrl}", cancellationToken);
    }

    /// <summary>
    /// Removes what the backend created, then records the outcome and why. Reading the last output and removing are each
    /// tried whatever the other does; what could not be removed (the backend unreachable) is left to the reconciler's
    /// stray sweep, which removes workloads no active environment owns. The reason recorded is always the original one.
    /// </summary>
    internal async Task FailAsync(PlatformDbContext db, UserEnvironment environment, string reason, EnvironmentState outcome = EnvironmentState.Failed)
    {
        routes.Remove(environment.User.Name, environment.Name);
        if (environment.BackendState is not null)
        {
            var state = JsonDocument.Parse(environment.BackendState).RootElement;
            var logs = "";
            try
            {
                logs = await Backend.ReadLogsAsync(SpecOf(environment), state, 2000, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogWarning("Could not read the last output of environment {EnvironmentId}: {Message}", environment.Id, e.Message);
            }

            try
            {
                await Backend.StopAsync(SpecOf(environment), state, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogWarning("Could not remove the workload of environment {EnvironmentId} ({Message}); the reconciler's stray sweep removes it", environment.Id, e.Message);
            }

            if (logs.Length > 0)
            {
                await recorder.ProgressAsync(db, environment, "Last output: " + logs.Trim(), CancellationToken.None);
            }
        }

        environment.FailureReason = outcome == EnvironmentState.Failed ? reason : null;
        environment.StoppedAt = time.GetUtcNow();
        await recorder.TransitionAsync(db, environment, outcome, reason, CancellationToken.None);
    }
}
