using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using DevPlatform.Api;
using DevPlatform.Compute;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Environments;

internal static class EnvironmentsApi
{
    public sealed record ImageCheck(bool Allowed, string Reason);

    public static RouteGroupBuilder MapEnvironmentsApi(this RouteGroupBuilder api, RouteGroupBuilder admin)
    {
        var environments = api.MapGroup("/users/{user}/environments").WithTags("Environments").RequireAuthorization(Identity.OwnerOrAdminRequirement.Policy);
        environments.MapPost("/", LaunchAsync).WithName("LaunchEnvironment")
            .WithSummary("Launches an environment; answers 202 at once with state 'pending'. Follow progress on …/{name}/events.");
        environments.MapGet("/", ListAsync).WithName("ListUserEnvironments");
        environments.MapGet("/{name}", async (string user, string name, PlatformDbContext db, CancellationToken ct) =>
            EnvironmentResource.From(await EnvironmentAccess.FindAsync(db, user, name, ct))).WithName("GetEnvironment");
        environments.MapPost("/{name}/stop", async (string user, string name, PlatformDbContext db, EnvironmentLifecycle lifecycle, HttpContext http, CancellationToken ct) =>
        {
            var environment = await EnvironmentAccess.FindAsync(db, user, name, ct);
            await lifecycle.StopAsync(environment.Id, $"Stop requested by {Actor.Of(http.User)}", ct);
            return Results.Accepted($"/api/users/{user}/environments/{name}", EnvironmentResource.From(await EnvironmentAccess.FindAsync(db, user, name, ct)));
        }).WithName("StopEnvironment").WithSummary("Stops the workload; the home and the environment's definition stay.");
        environments.MapPost("/{name}/start", async (string user, string name, PlatformDbContext db, EnvironmentLifecycle lifecycle, HttpContext http, CancellationToken ct) =>
        {
            var environment = await EnvironmentAccess.FindAsync(db, user, name, ct);
            await lifecycle.StartAsync(environment.Id, Actor.Of(http.User), ct);
            return Results.Accepted($"/api/users/{user}/environments/{name}", EnvironmentResource.From(await EnvironmentAccess.FindAsync(db, user, name, ct)));
        }).WithName("StartEnvironment").WithSummary("Starts a stopped or failed environment again, under the policy in force now.");
        environments.MapDelete("/{name}", async (string user, string name, PlatformDbContext db, EnvironmentLifecycle lifecycle, HttpContext http, CancellationToken ct) =>
        {
            await lifecycle.DeleteAsync((await EnvironmentAccess.FindAsync(db, user, name, ct)).Id, Actor.Of(http.User), ct);
            return Results.NoContent();
        }).WithName("DeleteEnvironment").WithSummary("Stops it if needed and deletes it; the user's home stays.");
        environments.MapGet("/{name}/events", EventsAsync).WithName("GetEnvironmentEvents")
            .WithSummary("State changes and progress lines, oldest first; with 'Accept: text/event-stream', a live server-sent event stream.");
        environments.MapGet("/{name}/logs", LogsAsync).WithName("GetEnvironmentLogs").WithSummary("The last 64 KiB of the workload's output.");
        environments.MapGet("/{name}/usage", UsageAsync).WithName("GetEnvironmentUsage").WithSummary("Requested versus used CPU and memory now.");

        api.MapGet("/me/launch-options", (HttpContext http, LaunchOptions options, CancellationToken ct) => options.ForAsync(http.User.Identity!.Name!, ct))
            .WithTags("Environments").WithName("GetMyLaunchOptions")
            .WithSummary("What the signed-in user may launch, per group: profiles, images, bundles, sizes with estimated hourly cost, and the room left under quotas and budget.");
        api.MapGet("/me/image-check", async (string? profile, string? image, LaunchOptions options, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(profile) || string.IsNullOrWhiteSpace(image))
            {
                return new ImageCheck(false, "Give ?profile= and ?image= to check an image against a profile.");
            }

            var (allowed, reason) = await options.CheckImageAsync(profile, image, ct);
            return new ImageCheck(allowed, reason);
        }).WithTags("Environments").WithName("CheckImage").WithSummary("Whether an image may be used with a profile, and why not.");
        admin.MapGet("/environments", AdminListAsync).WithTags("Environments").WithName("ListEnvironments")
            .WithSummary("All environments; filter by user, group, profile, state.");
        return api;
    }

    private static async Task<IResult> LaunchAsync(string user, LaunchRequest request, EnvironmentLifecycle lifecycle, PlatformDbContext db, HttpContext http, CancellationToken ct)
    {
        var environment = await lifecycle.LaunchAsync(user, request, Actor.Of(http.User), ct);
        return Results.Accepted($"/api/users/{user}/environments/{environment.Name}", EnvironmentResource.From(await EnvironmentAccess.FindAsync(db, user, environment.Name, ct)));
    }

    private static async Task<Page<EnvironmentResource>> ListAsync(string user, PlatformDbContext db, string? state, int? offset, int? limit, CancellationToken ct)
    {
        var wanted = QueryEnum.Parse<EnvironmentState>(state, "state");
        var query = db.Environments.Where(e => e.OwnerName == user);
        query = wanted is null ? query : query.Where(e => e.State == wanted);
        return await new PageRequest(offset, limit).ApplyAsync(query.OrderBy(e => e.Name).Select(EnvironmentResource.Projection), EnvironmentResource.Normalized, ct);
    }

    private static Task<Page<EnvironmentResource>> AdminListAsync(
        PlatformDbContext db, string? user, string? group, string? profile, string? state, int? offset, int? limit, CancellationToken ct)
    {
        var wanted = QueryEnum.Parse<EnvironmentState>(state, "state");
        var query = db.Environments.AsQueryable();
        query = user is null ? query : query.Where(e => e.OwnerName == user);
        query = group is null ? query : query.Where(e => e.GroupName == group);
        query = profile is null ? query : query.Where(e => e.ProfileName == profile);
        query = wanted is null ? query : query.Where(e => e.State == wanted);
        return new PageRequest(offset, limit).ApplyByKeyAsync(
            query.OrderBy(e => e.OwnerName).ThenBy(e => e.Name), e => e.Id, rows => rows.Select(EnvironmentResource.Projection), null, EnvironmentResource.Normalized, ct);
    }

    private static async Task<IResult> EventsAsync(string user, string name, PlatformDbContext db, EnvironmentEventStream stream, HttpContext http, CancellationToken ct)
    {
        var environment = await EnvironmentAccess.FindAsync(db, user, name, ct);
        if (!http.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.Ordinal))
        {
            return Results.Ok(await db.EnvironmentEvents.AsNoTracking().Where(e => e.EnvironmentId == environment.Id).OrderBy(e => e.Id)
                .Select(e => new EnvironmentEventView(e.Id, e.At, e.State, e.Transition, e.Message)).ToListAsync(ct));
        }

        _ = long.TryParse(http.Request.Headers["Last-Event-ID"], out var after);
        return TypedResults.ServerSentEvents(LiveAsync(environment.Id, after, db, stream, ct));
    }

    /// <summary>Subscribes first, then replays what is stored, then passes live events on: none lost in between, none twice.</summary>
    private static async IAsyncEnumerable<SseItem<EnvironmentEventView>> LiveAsync(
        Guid id, long after, PlatformDbContext db, EnvironmentEventStream stream, [EnumeratorCancellation] CancellationToken ct)
    {
        using var subscription = stream.Subscribe(id);
        var last = after;
        var stored = await db.EnvironmentEvents.AsNoTracking().Where(e => e.EnvironmentId == id && e.Id > after).OrderBy(e => e.Id).ToListAsync(ct);
        foreach (var view in stored.Select(EnvironmentEventView.From))
        {
            last = view.Id;
            yield return Item(view);
        }

        await foreach (var view in subscription.Reader.ReadAllAsync(ct))
        {
            if (view.Id > last)
            {
                last = view.Id;
                yield return Item(view);
            }
        }
    }

    private static SseItem<EnvironmentEventView> Item(EnvironmentEventView view) =>
        new(view, view.Transition ? "state" : "progress") { EventId = view.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    private static async Task<IResult> LogsAsync(string user, string name, PlatformDbContext db, SelectedBackend backend, CancellationToken ct) =>
        Results.Text(await ReadLogsAsync(await EnvironmentAccess.FindAsync(db, user, name, ct), backend, ct), "text/plain; charset=utf-8");

    /// <summary>The last 64 KiB of the workload's output (a start that failed before a workload ran: what it printed); empty before that.</summary>
    public static async Task<string> ReadLogsAsync(UserEnvironment environment, SelectedBackend backend, CancellationToken ct) =>
        environment.BackendState is not null
            ? await backend.Backend.ReadLogsAsync(EnvironmentLifecycle.SpecOf(environment), JsonDocument.Parse(environment.BackendState).RootElement, 64 * 1024, ct)
            : environment.State == EnvironmentState.Failed
                ? await backend.Backend.ReadLogsAsync(EnvironmentLifecycle.SpecOf(environment), default, 64 * 1024, ct) // no state: the backend reads what it can
                : string.Empty;

    /// <summary>What a running environment uses now (null when it is not running or the backend cannot tell).</summary>
    public static async Task<Abstractions.BackendUsage?> ReadUsageAsync(UserEnvironment environment, SelectedBackend backend, CancellationToken ct) =>
        environment.State == EnvironmentState.Running && environment.BackendState is not null
            ? await backend.Backend.GetUsageAsync(EnvironmentLifecycle.SpecOf(environment), JsonDocument.Parse(environment.BackendState).RootElement, ct)
            : null;

    private static async Task<IResult> UsageAsync(string user, string name, PlatformDbContext db, SelectedBackend backend, CancellationToken ct)
    {
        var environment = await EnvironmentAccess.FindAsync(db, user, name, ct);
        var spec = EnvironmentLifecycle.SpecOf(environment);
        var usage = await ReadUsageAsync(environment, backend, ct);
        return Results.Ok(new
        {
            requested = new { cpu = spec.Resources.CpuRequest, memory = spec.Resources.MemoryRequest, accelerators = spec.Resources.Accelerators },
            used = usage is null ? null : new { cpu = usage.CpuCores, memory = usage.MemoryBytes },
        });
    }
}
