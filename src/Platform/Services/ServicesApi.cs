using DevPlatform.Api;
using DevPlatform.Persistence;
using DevPlatform.Resources;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Services;

/// <summary>Admins define, change, start, stop and delete shared services and read their events and logs; users list the ones they may use.</summary>
internal static class ServicesApi
{
    public sealed record ServiceView(
        string Name, string? DisplayName, string Url, string State, string? FailureReason, int Restarts, DateTimeOffset? StartedAt, string? Host, ServiceSpec Spec);

    public sealed record MyService(string Name, string? DisplayName, string Url, string State, IReadOnlyList<string> Variables);

    public static RouteGroupBuilder MapServicesApi(this RouteGroupBuilder api, RouteGroupBuilder admin)
    {
        var services = admin.MapGroup("/services").WithTags("Shared services");
        services.MapGet("/", async (PlatformDbContext db, ServiceStore store, CancellationToken ct) =>
            (await db.SharedServices.AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct)).Select(s => View(s, store)).ToList()).WithName("ListServices");
        services.MapGet("/{name}", async (string name, ServiceStore store, CancellationToken ct) => View(await store.ReadAsync(name, ct), store)).WithName("GetService");
        services.MapPost("/", (ServiceSpec spec, ServiceStore store, ServiceSupervisor supervisor, HttpContext http, CancellationToken ct) =>
            WriteAsync(WriteMode.Create, null, spec, store, supervisor, http, ct)).WithName("CreateService")
            .WithSummary("Defines a service; with enabled (the default) the platform starts it at once and keeps it running.");
        services.MapPut("/{name}", (string name, ServiceSpec spec, ServiceStore store, ServiceSupervisor supervisor, HttpContext http, CancellationToken ct) =>
            WriteAsync(WriteMode.Replace, name, spec, store, supervisor, http, ct)).WithName("ReplaceService")
            .WithSummary("Changes a service; leave out secrets to keep the stored ones. A running service is restarted with the new definition.");
        services.MapPost("/{name}/start", (string name, ServiceStore store, ServiceSupervisor supervisor, HttpContext http, CancellationToken ct) =>
            SetEnabledAsync(name, true, store, supervisor, http, ct)).WithName("StartService");
        services.MapPost("/{name}/stop", (string name, ServiceStore store, ServiceSupervisor supervisor, HttpContext http, CancellationToken ct) =>
            SetEnabledAsync(name, false, store, supervisor, http, ct)).WithName("StopService");
        services.MapDelete("/{name}", async (string name, ServiceStore store, ServiceSupervisor supervisor, HttpContext http, CancellationToken ct) =>
        {
            await SetEnabledAsync(name, false, store, supervisor, http, ct);
            await store.DeleteAsync(await store.GetAsync(name, ct), Actor.Of(http.User), ct);
            return Results.NoContent();
        }).WithName("DeleteService").WithSummary("Stops the service and deletes its definition; its data folder or volume stays.");
        services.MapGet("/{name}/events", async (string name, ServiceStore store, PlatformDbContext db, CancellationToken ct) =>
        {
            var service = await store.GetAsync(name, ct);
            return await db.ServiceEvents.AsNoTracking().Where(e => e.ServiceId == service.Id).OrderBy(e => e.Id).Select(e => new { e.Id, e.At, e.Message }).ToListAsync(ct);
        }).WithName("GetServiceEvents");
        services.MapGet("/{name}/logs", async (string name, ServiceStore store, ServiceRunner runner, CancellationToken ct) =>
        {
            var service = await store.GetAsync(name, ct);
            var logs = service.BackendState is null ? "" : await runner.ReadLogsAsync(service, ServiceStore.SpecOf(service), store.SecretsOf(service), ct);
            return Results.Text(logs, "text/plain; charset=utf-8");
        }).WithName("GetServiceLogs").WithSummary("The last 64 KiB of the service's output.");

        api.MapGet("/me/services", async (HttpContext http, PlatformDbContext db, CancellationToken ct) =>
        {
            var groups = await ServiceAccess.GroupsOfAsync(db, http.User.Identity!.Name!, ct);
            return (await db.SharedServices.AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct))
                .Select(s => (Service: s, Spec: ServiceStore.SpecOf(s)))
                .Where(s => s.Spec.AllowedGroups.Any(groups.Contains))
                .Select(s => new MyService(s.Service.Name, s.Spec.DisplayName, ServiceRunner.BaseUrl(s.Service.Name), s.Service.State.ToString().ToLowerInvariant(),
                    (s.Spec.Variables ?? new Dictionary<string, string>()).Keys.Order(StringComparer.Ordinal).ToList()))
                .ToList();
        }).WithTags("Shared services").WithName("ListMyServices").WithSummary("The shared services your groups may use, with their addresses and the variables your environments get.");
        return api;
    }

    private static ServiceView View(SharedService s, ServiceStore store) => new(
        s.Name, ServiceStore.SpecOf(s).DisplayName, ServiceRunner.BaseUrl(s.Name), s.State.ToString().ToLowerInvariant(), s.FailureReason, s.Restarts, s.StartedAt, s.Host,
        ServiceStore.Shown(s, store.SecretsOf(s)));

    private static async Task<IResult> WriteAsync(WriteMode mode, string? name, ServiceSpec spec, ServiceStore store, ServiceSupervisor supervisor, HttpContext http, CancellationToken ct)
    {
        var (service, outcome) = await store.WriteAsync(mode, name, spec, Actor.Of(http.User), ct);
        if (outcome == WriteOutcome.Updated && service.BackendState is not null)
        {
            await supervisor.RestartAsync(service.Name, CancellationToken.None);
        }

        await supervisor.PassAsync(CancellationToken.None);
        var fresh = await store.ReadAsync(service.Name, ct);
        return outcome == WriteOutcome.Created ? Results.Created($"/api/services/{service.Name}", View(fresh, store)) : Results.Ok(View(fresh, store));
    }

    private static async Task<IResult> SetEnabledAsync(string name, bool enabled, ServiceStore store, ServiceSupervisor supervisor, HttpContext http, CancellationToken ct)
    {
        var service = await store.GetAsync(name, ct);
        var spec = ServiceStore.SpecOf(service) with { Enabled = enabled };
        await store.WriteAsync(WriteMode.Replace, name, spec, Actor.Of(http.User), ct);
        if (enabled && service.State == ServiceState.Failed)
        {
            await supervisor.ResetBackoffAsync(name, CancellationToken.None);
        }

        await supervisor.PassAsync(CancellationToken.None);
        return Results.Ok(View(await store.ReadAsync(name, ct), store));
    }
}
