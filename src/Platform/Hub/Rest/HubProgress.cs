using System.Text.Json.Nodes;
using DevPlatform.Environments;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Hub.Rest;

/// <summary>
/// <c>GET …/server/progress</c> (SpawnProgressAPIHandler): the current start's events as
/// <c>data: {"progress", "message"}</c> lines, then the ready or failed event, with an empty keep-alive line every 8 s.
/// </summary>
internal sealed class HubProgress(HubCallers callers, PlatformDbContext db, EnvironmentEventStream stream, HubServerNames names)
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(8);

    public async Task<IResult> StreamAsync(HttpContext http, string name, string server, CancellationToken ct)
    {
        var caller = await callers.ResolveAsync(http, ct);
        var user = await HubData.UserAsync(db, name, ct);
        caller.Require(HubData.Target(name, user, server), "read:servers");
        var environmentName = names.EnvironmentName(server);
        var environment = user is null ? null : await db.Environments.AsNoTracking().FirstOrDefaultAsync(e => e.UserId == user.Id && e.Name == environmentName, ct);
        if (environment is null || environment.State == EnvironmentState.Stopped)
        {
            throw new HubApiException(404, "Not Found"); // JupyterHub forgets a stopped server's spawner
        }

        if (environment.State == EnvironmentState.Stopping)
        {
            throw new HubApiException(400, $"{HubServerNames.LogName(name, server)} is not starting...");
        }

        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        using var subscription = stream.Subscribe(environment.Id);
        var settled = await SettledEventAsync(environment.Id, environmentName, name, ct);
        if (settled is null)
        {
            var started = await db.EnvironmentEvents.AsNoTracking()
                .Where(e => e.EnvironmentId == environment.Id && e.Transition && e.State == EnvironmentState.Pending).MaxAsync(e => (long?)e.Id, ct) ?? 0;
            var last = 0L;
            var count = 0;
            foreach (var stored in await db.EnvironmentEvents.AsNoTracking().Where(e => e.EnvironmentId == environment.Id && e.Id >= started).OrderBy(e => e.Id).ToListAsync(ct))
            {
                last = stored.Id;
                await SendAsync(response, Progress(stored.State, count++, stored.Message), ct);
            }

            settled = await FollowAsync(response, subscription, environment.Id, environmentName, name, last, count, ct);
        }

        await SendAsync(response, settled, ct);
        return Results.Empty;
    }

    /// <summary>Live events until the start settles, with keep-alive lines in the gaps.</summary>
    private async Task<JsonObject> FollowAsync(
        HttpResponse response, EnvironmentEventStream.Subscription subscription, Guid id, string environment, string user, long last, int count, CancellationToken ct)
    {
        while (true)
        {
            using var gap = CancellationTokenSource.CreateLinkedTokenSource(ct);
            gap.CancelAfter(KeepAlive);
            try
            {
                await subscription.Reader.WaitToReadAsync(gap.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                await response.WriteAsync("\n\n", ct);
                await response.Body.FlushAsync(ct);
                continue;
            }

            while (subscription.Reader.TryRead(out var view))
            {
                if (view.Id > last && EnvironmentStates.Starting.Contains(view.State))
                {
                    last = view.Id;
                    await SendAsync(response, Progress(view.State, count++, view.Message), ct);
                }
            }

            if (await SettledEventAsync(id, environment, user, ct) is { } settled)
            {
                return settled;
            }
        }
    }

    /// <summary>The ready or failed event once the start has settled; null while it is still going.</summary>
    private async Task<JsonObject?> SettledEventAsync(Guid id, string environmentName, string user, CancellationToken ct)
    {
        var environment = await db.Environments.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct);
        switch (environment?.State)
        {
            case EnvironmentState.Pending or EnvironmentState.Starting:
                return null;
            case EnvironmentState.Running:
                var url = HubServerNames.Url(user, environmentName);
                return new JsonObject
                {
                    ["progress"] = 100, ["ready"] = true, ["message"] = $"Server ready at {url}",
                    ["html_message"] = $"Server ready at <a href=\"{url}\">{url}</a>", ["url"] = url,
                };
            default:
                var reason = environment?.FailureReason ?? "the server was stopped while starting";
                return new JsonObject { ["progress"] = 100, ["failed"] = true, ["message"] = $"Spawn failed: {reason}" };
        }
    }

    /// <summary>Requested at 0, backend starting from 50, each further line 5 more (up to 95): JupyterHub's progress is a hint, not a measure.</summary>
    private static JsonObject Progress(EnvironmentState state, int index, string message) => new()
    {
        ["progress"] = state == EnvironmentState.Pending ? Math.Min(index * 5, 45) : Math.Min(50 + (index * 5), 95), ["message"] = message,
    };

    private static async Task SendAsync(HttpResponse response, JsonObject data, CancellationToken ct)
    {
        await response.WriteAsync($"data: {data.ToJsonString()}\n\n", ct);
        await response.Body.FlushAsync(ct);
    }
}
