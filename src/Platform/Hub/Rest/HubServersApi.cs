using System.Text.Json;
using System.Text.Json.Nodes;
using DevPlatform.Environments;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DevPlatform.Hub.Rest;

/// <summary>
/// Starting and stopping servers (jupyterhub/apihandlers/users.py, UserServerAPIHandler) as our environments:
/// the default server is the environment <c>Hub:DefaultServerName</c>, a named server the environment of its name.
/// Start options pick the profile and its choices; the answer waits up to <c>Hub:SlowSeconds</c> for the result
/// (201 ready, 202 still pending), as JupyterHub's <c>slow_spawn_timeout</c> and <c>slow_stop_timeout</c> do.
/// </summary>
internal static class HubServersApi
{
    private static readonly Dictionary<string, JsonValueKind> OptionKeys = new(StringComparer.Ordinal)
    {
        ["profile"] = JsonValueKind.String, ["image"] = JsonValueKind.String, ["size"] = JsonValueKind.String,
        ["bundles"] = JsonValueKind.Array, ["group"] = JsonValueKind.String,
    };

    public static RouteGroupBuilder MapHubServers(this RouteGroupBuilder api)
    {
        api.MapPost("/users/{name}/server", (string name, HttpContext http, HubServerCalls calls, CancellationToken ct) => calls.StartAsync(http, name, string.Empty, ct));
        api.MapPost("/users/{name}/servers/{server}", (string name, string server, HttpContext http, HubServerCalls calls, CancellationToken ct) => calls.StartAsync(http, name, server, ct));
        api.MapDelete("/users/{name}/server", (string name, HttpContext http, HubServerCalls calls, CancellationToken ct) => calls.StopAsync(http, name, string.Empty, ct));
        api.MapDelete("/users/{name}/servers/{server}", (string name, string server, HttpContext http, HubServerCalls calls, CancellationToken ct) => calls.StopAsync(http, name, server, ct));
        api.MapGet("/users/{name}/server/progress", (string name, HttpContext http, HubProgress progress, CancellationToken ct) => progress.StreamAsync(http, name, string.Empty, ct));
        api.MapGet("/users/{name}/servers/{server}/progress", (string name, string server, HttpContext http, HubProgress progress, CancellationToken ct) => progress.StreamAsync(http, name, server, ct));
        return api;
    }

    /// <summary>The start options as our launch request: strict keys and types, the profile defaulting to <c>Hub:DefaultProfile</c> or the user's first allowed one.</summary>
    public static async Task<LaunchRequest?> RequestAsync(JsonNode? body, string user, string environment, HubOptions options, LaunchOptions launchOptions, CancellationToken ct)
    {
        if (body is null || (body is JsonObject empty && empty.Count == 0))
        {
            return null;
        }

        var model = HubJson.Object(body, "Start options must be a JSON object such as {\"profile\": \"jupyter\", \"size\": \"small\"}");
        if (model.Any(p => !OptionKeys.ContainsKey(p.Key)))
        {
            throw new HubApiException(400, $"Unknown start options {string.Join(", ", model.Select(p => p.Key).Where(k => !OptionKeys.ContainsKey(k)).Select(k => $"'{k}'"))}: "
                + "DevPlatform accepts profile, image, size, bundles and group (GET /api/me/launch-options lists the choices).");
        }

        HubJson.CheckKeys(model, "user_options", OptionKeys);
        var profile = model["profile"]?.GetValue<string>() ?? await DefaultProfileAsync(user, options, launchOptions, ct);
        return new LaunchRequest(environment, profile, model["image"]?.GetValue<string>(), model.ContainsKey("bundles") ? HubJson.Strings(model, "bundles", "user_options.bundles") : null,
            model["size"]?.GetValue<string>(), model["group"]?.GetValue<string>());
    }

    public static async Task<string> DefaultProfileAsync(string user, HubOptions options, LaunchOptions launchOptions, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(options.DefaultProfile))
        {
            return options.DefaultProfile;
        }

        return (await launchOptions.ForAsync(user, ct)).SelectMany(g => g.Profiles).Select(p => p.Name).FirstOrDefault()
            ?? throw new HubApiException(400, $"{user} may launch no profile: none of their groups allows one. Add the user to a group whose policy allows a profile, or set Hub:DefaultProfile.");
    }
}

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

        var request = await HubServersApi.RequestAsync(await HubJson.ReadAsync(http.Request, ct), name, environmentName, options.Value, launchOptions, ct);
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
        // a fresh read each time: this context outlives several state changes made by the lifecycle's own scopes
        db.ChangeTracker.Clear();
        return await db.Environments.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct);
    }
}
