using DevPlatform.Identity;
using DevPlatform.Persistence;
using DevPlatform.Proxy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace DevPlatform.Services;

/// <summary>
/// <c>/services/{name}/…</c>: a shared service's web UI and API through the hub, for admins and members of the groups
/// it allows — signed in, or with a hub token in the Authorization header (what environments are given).
/// </summary>
internal static class ServiceProxy
{
    /// <summary>
    /// A proxied request reads the service and the caller's groups from memory, refreshed at most this often: a
    /// changed membership or a restarted service is seen within it, and the database is not read per request.
    /// </summary>
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapServiceProxy(this IEndpointRouteBuilder endpoints)
    {
        endpoints.Map("/services/{name}", (HttpContext context, string name, PlatformDbContext db, WorkloadForwarder forwarder) =>
        {
            if (context.Request.Path.Value!.EndsWith('/'))
            {
                return ForwardAsync(context, name, db, forwarder);
            }

            context.Response.Redirect(context.Request.Path + "/" + context.Request.QueryString);
            return Task.CompletedTask;
        }).ExcludeFromDescription().DisableAntiforgery();
        endpoints.Map("/services/{name}/{**rest}", ForwardAsync).ExcludeFromDescription().DisableAntiforgery();
        return endpoints;
    }

    private static async Task ForwardAsync(HttpContext context, string name, PlatformDbContext db, WorkloadForwarder forwarder)
    {
        var caller = await ProxyAccess.CallerAsync(context);
        if (caller is null)
        {
            context.Response.Redirect($"{SessionDefaults.LoginPath}?next={Uri.EscapeDataString(context.Request.Path + context.Request.QueryString)}");
            return;
        }

        var cache = context.RequestServices.GetRequiredService<IMemoryCache>();
        var service = await cache.GetOrCreateAsync(CacheKey(name), entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            return db.SharedServices.AsNoTracking().FirstOrDefaultAsync(s => s.Name == name, context.RequestAborted);
        });
        if (service is null)
        {
            await Results.Problem(statusCode: 404, title: "No such service.", detail: $"There is no shared service named '{name}'.").ExecuteAsync(context);
            return;
        }

        var spec = ServiceStore.SpecOf(service);
        var groups = caller.Admin ? [] : await cache.GetOrCreateAsync($"groups:{caller.Name}", entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            return ServiceAccess.GroupsOfAsync(db, caller.Name, context.RequestAborted);
        }) ?? [];
        if (!caller.Admin && !spec.AllowedGroups.Any(groups.Contains))
        {
            await Results.Problem(statusCode: 403, title: "Not for your groups.",
                detail: $"{caller.Name} is not in a group that may use '{name}' ({string.Join(", ", spec.AllowedGroups)}).").ExecuteAsync(context);
            return;
        }

        if (service.State != ServiceState.Running || service.Endpoint is null)
        {
            await Results.Problem(statusCode: 503, title: "Service not running.", detail: $"'{name}' is {service.State.ToString().ToLowerInvariant()}; an admin can see why in its events.").ExecuteAsync(context);
            return;
        }

        var route = new ProxyRoute(service.Id, "", name, new Uri(service.Endpoint), spec.StripPrefix);
        if (!await forwarder.ForwardAsync(context, EnvironmentTransformer.Destination(route, ServiceRunner.BaseUrl(name).TrimEnd('/'), context.Request, passToken: false),
                r => Identify(context, r, caller)))
        {
            await Results.Problem(statusCode: 502, title: "Service did not answer.", detail: $"'{name}' did not answer; it may be restarting.").ExecuteAsync(context);
        }
    }

    /// <summary>
    /// The hub has checked who is calling: the service is told in <c>X-DevPlatform-User</c> (any such header the caller
    /// sent is dropped first), so it can attribute work without a sign-in of its own.
    /// </summary>
    private static void Identify(HttpContext context, HttpRequestMessage request, ProxyCaller caller)
    {
        EnvironmentTransformer.Apply(context, request, caller.Credential);
        request.Headers.Remove(UserHeader);
        request.Headers.TryAddWithoutValidation(UserHeader, caller.Name);
    }

    public const string UserHeader = "X-DevPlatform-User";

    /// <summary>Where a service's row is cached for the proxy; whoever changes the service removes it.</summary>
    public static string CacheKey(string name) => $"service:{name}";
}
