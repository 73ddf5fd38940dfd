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
    private readonly ConcurrentDictionary<Guid, StartRun> starts = new();

    private IComputeBackend Backend => selected.Backend;

    public async Task<UserEnvironment> LaunchAsync(string userName, LaunchRequest request, string actor, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<PlatformDbContext>();
        var policy = services.GetRequiredService<LaunchPolicy>();
        var plan = await policy.CheckAsync(userName, request, cancellationToken);
        if (await db.Environments.AnyAsync(e => e.UserId == plan.User.Id && e.Name == request.Name, cancellationToken))
        {
            throw NameTaken(request.Name);
        }

        var serviceVariables = await Services.ServiceVariables.ForGroupAsync(db, plan.Group.Name, hubUrls.ApiUrl(), cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await policy.ReserveAsync(plan, cancellationToken); // the limits hold until the insert commits

        var now = time.GetUtcNow();
        var environment = new UserEnvironment
        {
            Id = Guid.NewGuid(), UserId = plan.User.Id, Name = request.Name, GroupName = plan.Group.Name, ProfileName = plan.Profile.Name,
            Request = PlatformJson.Serialize(request), Spec = "{}", Backend = Backend.Name, State = EnvironmentState.Pending, CreatedAt = now, UpdatedAt = now,
        };
        Resolve(environment, plan, serviceVariables);
        db.Environments.Add(environment);
        services.GetRequiredService<AuditLog>().Record(actor, "launch", "environment", $"{userName}/{request.Name}", null,
            request with { Image = plan.Image, Size = plan.Size.Name, Group = plan.Group.Name, Bundles = plan.Bundles.Select(b => b.Name).ToList() }); // what was launched, defaults filled in
        try
        {
            await recorder.TransitionAsync(db, environment, EnvironmentState.Pending, $"Requested: profile {plan.Profile.Name}, size {plan.Size.Name}, image {plan.Image}, group {plan.Group.Name}; costs {plan.Cost.HourlyRate.ToString("$0.####", System.Globalization.CultureInfo.InvariantCulture)}/h ({plan.Cost.Basis})", cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation, ConstraintName: "ix_environments_user_id_name" })
        {
            throw NameTaken(request.Name); // launched under this name by another request since the check above (the name is read before the lock)
        }

        await transaction.CommitAsync(cancellationToken);
        BeginStart(environment.Id);
        return environment;
    }

    private static ResourceConflictException NameTaken(string name) =>
        new($"You already have an environment named '{name}'; start it (POST …/{name}/start) or choose another name.");

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
            var policy = services.GetRequiredService<LaunchPolicy>();
            var plan = await policy.CheckAsync(environment.User.Name, request, cancellationToken);
            var serviceVariables = await Services.ServiceVariables.ForGroupAsync(db, plan.Group.Name, hubUrls.ApiUrl(), cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.ApiTokens.Where(t => t.EnvironmentId == id).ExecuteDeleteAsync(cancellationToken);
            await policy.ReserveAsync(plan, cancellationToken); // the limits hold until the start commits
            environment.Request = PlatformJson.Serialize(request);
            Resolve(environment, plan, serviceVariables);
            (environment.BackendState, environment.Endpoint, environment.FailureReason, environment.StartedAt, environment.StoppedAt, environment.MeteredUntil) = (null, null, null, null, null, null);
            services.GetRequiredService<AuditLog>().Record(actor, "start", "environment", $"{environment.User.Name}/{environment.Name}", null, null);
            try
            {
                await recorder.TransitionAsync(db, environment, EnvironmentState.Pending, "Start requested", cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new ResourceConflictException($"Environment '{environment.Name}' was started or changed by another request at the same time (perhaps on another replica); nothing was changed by this one.");
            }

            await transaction.CommitAsync(cancellationToken);
            BeginStart(id);
            return environment;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Stops it whichever host started it: the state written is conditional on the state read (a stop sent to two replicas at
    /// once stops it once; the other returns), and a start running on another host notices and lets go (see <see cref="NoticeChangesAsync"/>).
    /// </summary>
    public async Task StopAsync(Guid id, string reason, CancellationToken cancellationToken)
    {
        if (starts.TryRemove(id, out var start))
        {
            start.Cancel(); // the start task cleans up what it created
        }

        var gate = locks.GetOrAdd(id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
            var environment = await db.Environments.Include(e => e.User).FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
            if (environment is null || !environment.State.IsActive() || (environment.State == EnvironmentState.Stopping && environment.Host != node.NodeId))
            {
                return; // gone, already stopped, or another host is stopping it
            }

            routes.Remove(environment.User.Name, environment.Name);
            environment.Host = node.NodeId;
            try
            {
                await recorder.TransitionAsync(db, environment, EnvironmentState.Stopping, reason, cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                return; // another request (perhaps on another replica) changed it first: that one's outcome stands
            }

            if (environment.BackendState is not null)
            {
                await Backend.StopAsync(SpecOf(environment), JsonDocument.Parse(environment.BackendState).RootElement, cancellationToken);
            }

            await db.ApiTokens.Where(t => t.EnvironmentId == id && t.Kind != ApiTokenKind.Server).ExecuteDeleteAsync(cancellationToken);
            environment.StoppedAt = time.GetUtcNow();
            try
            {
                await recorder.TransitionAsync(db, environment, EnvironmentState.Stopped, "Stopped", cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // deleted by another request meanwhile (its workload is stopped above): nothing left to record
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Stops and deletes it; deleting one another request deleted at the same time is done, not an error.</summary>
    public async Task DeleteAsync(Guid id, string actor, CancellationToken cancellationToken)
    {
        await StopAsync(id, "Stopping before delete", cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Costs.UsageMeter>().MeterAsync([id], cancellationToken); // its usage outlives it
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
        var environment = await db.Environments.Include(e => e.User).FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        for (var waited = 0; environment is { State: EnvironmentState.Stopping } && waited < 150; waited++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken); // another replica is stopping it (a double click): let it finish
            await db.Entry(environment).ReloadAsync(cancellationToken);
            environment = db.Entry(environment).State == EntityState.Detached ? null : environment;
        }

        if (environment is null)
        {
            return;
        }

        if (environment.State.IsActive())
        {
            throw new ResourceConflictException($"Environment '{environment.Name}' was started again or is still being stopped by another request; delete it once it is stopped.");
        }

        scope.ServiceProvider.GetRequiredService<AuditLog>().Record(actor, "delete", "environment", $"{environment.User.Name}/{environment.Name}", PlatformJson.Deserialize<LaunchRequest>(environment.Request), null);
        db.Environments.Remove(environment);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // deleted (or started again) by another request at the same time: that one's outcome stands
        }

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
        var run = new StartRun();
        starts[id] = run;
        _ = Task.Run(() => RunStartAsync(id, run), CancellationToken.None);
    }

    /// <summary>
    /// Carries on a start whose host stopped (or this host before a restart): the caller has made this host its owner. The
    /// workload is started if it was never created, else waited for; the profile's start timeout counts from the request.
    /// </summary>
    public void CarryOn(Guid id) => BeginStart(id);

    /// <summary>
    /// Told by <see cref="RouteSync"/> which environments changed (any host, at commit): a start running here lets go of one
    /// another host stopped, deleted or took over, removing what it created; that host records the outcome.
    /// </summary>
    public async Task NoticeChangesAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        var mine = ids.Where(starts.ContainsKey).ToList();
        if (mine.Count == 0)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<PlatformDbContext>().Environments.AsNoTracking()
            .Where(e => mine.Contains(e.Id)).Select(e => new { e.Id, e.State, e.Host }).ToListAsync(cancellationToken);
        foreach (var id in mine)
        {
            var row = rows.Find(r => r.Id == id);
            var ended = row is null || row.State is EnvironmentState.Stopping or EnvironmentState.Stopped or EnvironmentState.Failed;
            if ((ended || row!.Host != node.NodeId) && starts.TryGetValue(id, out var run))
            {
                run.Superseded = ended ? Superseded.Ended : Superseded.TakenOver;
                run.Cancel();
            }
        }
    }

    private async Task RunStartAsync(Guid id, StartRun run)
    {
        var gate = locks.GetOrAdd(id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(CancellationToken.None);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
            var environment = await db.Environments.Include(e => e.User).FirstOrDefaultAsync(e => e.Id == id, CancellationToken.None);
            if (environment is null || environment.State is not (EnvironmentState.Pending or EnvironmentState.Starting) || environment.Host != node.NodeId
                || run.Cancellation.IsCancellationRequested)
            {
                return;
            }

            await StartAndWaitAsync(db, scope.ServiceProvider.GetRequiredService<HubTokenService>(), environment, run);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Starting environment {EnvironmentId} failed unexpectedly", id);
        }
        finally
        {
            starts.TryRemove(new KeyValuePair<Guid, StartRun>(id, run));
            gate.Release();
        }
    }

    private async Task StartAndWaitAsync(PlatformDbContext db, HubTokenService tokens, UserEnvironment environment, StartRun run)
    {
        var requestedAt = await RequestedAtAsync(db, environment);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(run.Cancellation.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, environment.StartTimeoutSeconds - (time.GetUtcNow() - requestedAt).TotalSeconds)));
        using var work = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, lifetime.ApplicationStopping); // shutting down stops the waiting, not the start
        BackendStart? started = null;
        string reason;
        try
        {
            var spec = SpecOf(environment);
            var written = Task.CompletedTask; // the start's last writes, stored while the workload comes up
            if (environment.BackendState is null)
            {
                (started, written) = await CreateWorkloadAsync(db, tokens, environment, spec, carriedOn: environment.State == EnvironmentState.Starting, c => started = c, work.Token);
            }
            else
            {
                started = new BackendStart(new Uri(environment.Endpoint!), JsonDocument.Parse(environment.BackendState).RootElement.Clone());
                await recorder.ProgressAsync(db, environment, $"Carrying the start on (host {node.NodeId}); waiting for the workload", CancellationToken.None);
                await WaitUntilAliveAsync(spec, started, work.Token);
            }

            try
            {
                await readiness.WaitAsync(Backend, spec, started, work.Token);
            }
            finally
            {
                await written; // the context is used by one writer at a time: nothing below writes before these are stored
            }

            await MarkRunningAsync(db, environment, CancellationToken.None);
            metrics.LaunchDuration.Record((time.GetUtcNow() - requestedAt).TotalSeconds, new("profile", environment.ProfileName), new("pool", environment.PoolName));
            return;
        }
        catch (Exception e) when (run.Superseded != Superseded.No || e is DbUpdateConcurrencyException)
        {
            var takenOver = run.Superseded == Superseded.TakenOver || (run.Superseded == Superseded.No && await TakenOverAsync(environment.Id));
            await LetGoAsync(environment, takenOver ? null : started);
            return;
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !timeout.IsCancellationRequested)
        {
            logger.LogInformation("Host stopping: the start of environment {EnvironmentId} is left {State} for another host, or this one restarted, to carry on",
                environment.Id, environment.State);
            return;
        }
        catch (OperationCanceledException) when (run.Cancellation.IsCancellationRequested)
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

        try
        {
            await FailAsync(db, environment, reason, run.Cancellation.IsCancellationRequested ? EnvironmentState.Stopped : EnvironmentState.Failed);
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogInformation("Environment {EnvironmentId} was stopped or taken over by another host while its start failed here; that host's outcome stands", environment.Id);
        }
    }

    /// <summary>
    /// The workload's objects, recorded (state and endpoint) as soon as the backend says they exist: a backend that waits
    /// after creating them (<see cref="IStartProgress.CreatedAsync"/>) has them stored before it waits; otherwise they are
    /// stored while the platform's readiness probe waits, and the task returned completes when they are (no other write to
    /// <paramref name="db"/> before then). The workload's hub token is saved with the Starting transition.
    /// </summary>
    private async Task<(BackendStart Started, Task Written)> CreateWorkloadAsync(
        PlatformDbContext db, HubTokenService tokens, UserEnvironment environment, EnvironmentSpec spec, bool carriedOn, Action<BackendStart> created, CancellationToken cancellationToken)
    {
        if (carriedOn)
        {
            // the start left by another host made one; a start from Pending follows StartAsync, which removed the last run's
            await db.ApiTokens.Where(t => t.EnvironmentId == environment.Id && t.Kind == ApiTokenKind.Server).ExecuteDeleteAsync(CancellationToken.None);
        }

        var token = tokens.AddServerToken(environment.Id, environment.UserId, environment.User.Name, environment.Name); // only its SHA-256 is stored
        await recorder.TransitionAsync(db, environment, EnvironmentState.Starting,
            carriedOn ? $"Starting again on the {Backend.Name} backend (host {node.NodeId} carries on the start its host left)" : $"Starting on the {Backend.Name} backend", CancellationToken.None);
        if (environment.User.HomeArchivedAt is not null)
        {
            await recorder.ProgressAsync(db, environment, "Your home was archived after a long time without sign-in; restoring it first", CancellationToken.None);
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<Storage.Backups.DormantHomes>().RestoreAsync(environment.User.Name, cancellationToken);
        }

        var withToken = HubEnvironment.WithToken(await identityEnvironment.FillAsync(spec, CancellationToken.None), token);
        var recorded = false;
        var progress = new ProgressWriter(line => recorder.ProgressAsync(db, environment, line, CancellationToken.None), async start =>
        {
            created(start);
            await RecordWorkloadAsync(db, environment, start);
            recorded = true;
        });
        BackendStart result;
        try
        {
            result = await Backend.StartAsync(withToken, progress, cancellationToken);
        }
        catch
        {
            await progress.FlushAsync(); // the context is used by one writer at a time: progress lines first
            throw;
        }

        if (recorded && environment.Endpoint == result.Endpoint.ToString() && environment.BackendState == result.State.GetRawText())
        {
            return (result, progress.FlushAsync());
        }

        created(result);
        return (result, progress.FlushAsync(() => RecordWorkloadAsync(db, environment, result)));
    }

    /// <summary>Persisted before any waiting: another host, or this one restarted, finds the workload and carries the start on.</summary>
    private static async Task RecordWorkloadAsync(PlatformDbContext db, UserEnvironment environment, BackendStart start)
    {
        environment.BackendState = start.State.GetRawText();
        environment.Endpoint = start.Endpoint.ToString();
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>Polls a workload created by an earlier host until it runs (a pod waiting for its node); fails the start when it ended.</summary>
    private async Task WaitUntilAliveAsync(EnvironmentSpec spec, BackendStart started, CancellationToken cancellationToken)
    {
        while (true)
        {
            var status = await Backend.PollAsync(spec, started.State, cancellationToken);
            if (status.Running)
            {
                return;
            }

            if (!status.Starting)
            {
                throw new BackendStartException($"The workload ended before it was ready ({status.Detail}).");
            }

            await Task.Delay(TimeSpan.FromSeconds(2), time, cancellationToken);
        }
    }

    /// <summary>When the start was asked for (its last Pending transition): the start timeout counts from there, across hosts.</summary>
    private static async Task<DateTimeOffset> RequestedAtAsync(PlatformDbContext db, UserEnvironment environment) =>
        environment.State == EnvironmentState.Pending
            ? environment.UpdatedAt
            : await db.EnvironmentEvents.Where(e => e.EnvironmentId == environment.Id && e.Transition && e.State == EnvironmentState.Pending)
                .MaxAsync(e => (DateTimeOffset?)e.At, CancellationToken.None) ?? environment.UpdatedAt;

    private async Task<bool> TakenOverAsync(Guid id)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PlatformDbContext>().Environments
            .AnyAsync(e => e.Id == id && e.Host != node.NodeId && (e.State == EnvironmentState.Pending || e.State == EnvironmentState.Starting || e.State == EnvironmentState.Running), CancellationToken.None);
    }

    /// <summary>
    /// Another host stopped or deleted it (remove the workload this start created, <paramref name="started"/>: that host may not
    /// have seen it), or took the start over (<paramref name="started"/> null: the workload is now that host's). That host records the outcome.
    /// </summary>
    private async Task LetGoAsync(UserEnvironment environment, BackendStart? started)
    {
        logger.LogInformation("Environment {EnvironmentId} was stopped or taken over by another host; this host's start lets go", environment.Id);
        if (started is null)
        {
            return;
        }

        try
        {
            await Backend.StopAsync(SpecOf(environment), started.State, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Could not remove the workload of environment {EnvironmentId} ({Message}); the reconciler's stray sweep removes it", environment.Id, e.Message);
        }
    }

    private enum Superseded
    {
        No,
        Ended,
        TakenOver,
    }

    /// <summary>One start running on this host: cancelled by a stop here, or superseded by a change another host made.</summary>
    private sealed class StartRun
    {
        public CancellationTokenSource Cancellation { get; } = new();

        public Superseded Superseded { get; set; }

        public void Cancel()
        {
            try
            {
                Cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // finished meanwhile
            }
        }
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
