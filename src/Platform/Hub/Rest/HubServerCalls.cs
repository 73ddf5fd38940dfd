using System.Text.Json;
using System.Text.Json.Nodes;
using DevPlatform.Environments;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DevPlatform.Hub.Rest;

/// <summary>One start or stop call: the checks JupyterHub makes, in its order, then our lifecycle.</summary>
internal sealed class HubServerCalls(
    HubCallers callers, PlatformDbContext db, EnvironmentLifecycle lifecycle, EnvironmentEventStream stream, LaunchOptions launchOptions,
    HubServerNames names, IOptions<HubOptions> options, ILogger<HubServerCalls> logger)
{
    private TimeSpan Slow => TimeSpan.FromSeconds(options.Value.SlowSeconds);

    public async Task<IResult> StartAsync(HttpContext http, string name, string server, CancellationToken ct)
    {
        var (caller, user) = await HubData.RequireUserAsync(http, callers, db, name, server, "Not Found", "servers");

        var log = HubServerNames.LogName(name, server);
        var environmentName = names.EnvironmentName(server);
        var environment = await db.Environments.AsNoTracking().FirstOrDefaultAsync(e => e.UserId == user.Id && e.Name == environmentName, ct);
        switch (environment?.State)
        {
            case EnvironmentState.Pending or EnvironmentState.Starting:
                return HubJson.Empty(202);
            case EnvironmentState.Stopping:
                throw new HubApiException(400, $"{log} is pending stop");
            case EnvironmentState.Running:
                throw new HubApiException(400, $"{log} is already running");
        }

        var request = await HubServersApi.RequestAsync(await HubJson.ReadAsync(http.Request, ct), name, environmentName, environment?.ProfileName, options.Value, launchOptions, ct);
        var actor = caller.Name ?? "anonymous";
        var id = environment is null
            ? (await lifecycle.LaunchAsync(name, request ?? new LaunchRequest(environmentName, await HubServersApi.DefaultProfileAsync(name, options.Value, launchOptions, ct)), actor, ct)).Id
            : (await lifecycle.StartAsync(environment.Id, actor, request, ct)).Id;
        var outcome = await SettledAsync(id, ct);
        return outcome?.State switch
        {
            EnvironmentState.Running => HubJson.Empty(201),
            EnvironmentState.Failed => throw new HubApiException(500, $"Spawn failed: {outcome.FailureReason}"),
            EnvironmentState.Stopped => throw new HubApiException(500, $"Spawn failed: {log} was stopped while starting"),
            _ => HubJson.Empty(202),
        };
    }

    public async Task<IResult> StopAsync(HttpContext http, string name, string server, CancellationToken ct)
    {
        var (caller, user) = await HubData.RequireUserAsync(http, callers, db, name, server, "Not Found", "delete:servers");

        var body = await HubJson.ReadAsync(http.Request, ct);
        var remove = body is JsonObject o && o["remove"] is JsonValue flag && flag.GetValueKind() == JsonValueKind.True;
        var environment = await db.Environments.AsNoTracking().FirstOrDefaultAsync(e => e.UserId == user.Id && e.Name == names.EnvironmentName(server), ct);
        if (server.Length > 0 && environment is null)
        {
            throw new HubApiException(404, $"{name} has no server named '{server}'");
        }

        if (server.Length == 0 && remove)
        {
            throw new HubApiException(400, "Cannot delete the default server");
        }

        if (environment is null)
        {
            return HubJson.Empty(204);
        }

        var log = HubServerNames.LogName(name, server);
        if (EnvironmentStates.Starting.Contains(environment.State))
        {
            throw new HubApiException(400, $"{log} is pending spawn, please wait");
        }

        var actor = caller.Name ?? "anonymous";
        var work = StopThenRemoveAsync(environment.Id, $"Stop requested by {actor} (JupyterHub API)", remove, actor);
        var finished = await Task.WhenAny(work, Task.Delay(Slow, ct)) == work;
        if (finished)
        {
            await work; // a failure to stop is the caller's 500, as JupyterHub's is
        }

        return HubJson.Empty(finished ? 204 : 202);
    }

    /// <summary>Stops and removes when asked, independent of the request: a client that hangs up does not leave it half-done.</summary>
    private Task StopThenRemoveAsync(Guid id, string reason, bool remove, string actor) => Task.Run(async () =>
    {
        try
        {
            await lifecycle.StopAsync(id, reason, CancellationToken.None); // when already stopping: waits for that stop, then finds nothing to do

            if (remove)
            {
                await lifecycle.DeleteAsync(id, actor, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Stopping environment {Id} for the JupyterHub API failed", id);
            throw;
        }
    });

    /// <summary>The environment once its start has settled (running, failed or stopped), or as it is after <c>Hub:SlowSeconds</c>.</summary>
    private Task<UserEnvironment?> SettledAsync(Guid id, CancellationToken ct) =>
        WaitUntilAsync(id, s => !EnvironmentStates.Starting.Contains(s), Slow, ct);

    /// <summary>Subscribes, then reads the stored state after each event: no change is missed between the two.</summary>
    private async Task<UserEnvironment?> WaitUntilAsync(Guid id, Func<EnvironmentState, bool> done, TimeSpan limit, CancellationToken ct)
    {
        using var subscription = stream.Subscribe(id);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit);
        while (true)
        {
            var environment = await ReadAsync(id, ct);
            if (environment is null || done(environment.State))
            {
                return environment;
            }

            try
            {
                await subscription.Reader.WaitToReadAsync(timeout.Token);
                while (subscription.Reader.TryRead(out _))
                {
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return environment;
            }
        }
    }

    private async Task<UserEnvironment?> ReadAsync(Guid id, CancellationToken ct)
    {
        return await db.Environments.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct);
    }
}
