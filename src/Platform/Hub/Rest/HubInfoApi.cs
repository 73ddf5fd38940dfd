using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using DevPlatform.Compute;
using DevPlatform.Persistence;
using DevPlatform.Proxy;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Hub.Rest;

/// <summary>
/// <c>/hub/api/info</c> (what runs the hub) and <c>GET /hub/api/proxy</c> (the routing table: the hub at <c>/</c>,
/// then each running environment's prefix with its user, server name and last activity), as JupyterHub 3.0 answers them.
/// </summary>
internal static class HubInfoApi
{
    public static RouteGroupBuilder MapHubInfo(this RouteGroupBuilder api)
    {
        api.MapGet("/info", InfoAsync);
        api.MapGet("/proxy", ProxyAsync);
        return api;
    }

    private static async Task<IResult> InfoAsync(HttpContext http, HubCallers callers, SelectedBackend backend, CancellationToken ct)
    {
        (await callers.ResolveAsync(http, ct)).Require(HubTarget.None, "read:hub");
        var version = typeof(HubInfoApi).Assembly.GetName().Version?.ToString() ?? "unknown";
        return HubJson.Write(new JsonObject
        {
            ["version"] = HubEnvironment.Version,
            ["python"] = RuntimeInformation.FrameworkDescription,
            ["sys_executable"] = Environment.ProcessPath,
            ["spawner"] = new JsonObject { ["class"] = backend.Backend.GetType().FullName, ["version"] = version },
            ["authenticator"] = new JsonObject { ["class"] = "DevPlatform.Identity.SignInService", ["version"] = version },
        });
    }

    private static async Task<IResult> ProxyAsync(HttpContext http, HubCallers callers, ProxyRouteTable table, HubServerNames names, HubUrls urls, PlatformDbContext db, TimeProvider time, CancellationToken ct)
    {
        (await callers.ResolveAsync(http, ct)).Require(HubTarget.None, "proxy");
        var (offset, limit) = HubPaging.Read(http.Request);
        var routes = table.All;
        var ids = routes.Select(r => r.EnvironmentId).ToList();
        var activity = await db.Environments.AsNoTracking().Where(e => ids.Contains(e.Id)).ToDictionaryAsync(e => e.Id, e => e.LastActivityAt, ct);
        var hub = urls.ApiUrl();
        var all = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal)
        {
            ["/"] = Route("/", hub.EndsWith("/hub/api", StringComparison.Ordinal) ? hub[..^"/hub/api".Length] : hub, new JsonObject { ["hub"] = true, ["last_activity"] = HubJson.Time(time.GetUtcNow()) }), // this request just went through it
        };
        foreach (var route in routes)
        {
            var prefix = HubServerNames.Url(route.User, route.Environment);
            all[prefix] = Route(prefix, route.Endpoint.ToString().TrimEnd('/'), new JsonObject
            {
                ["user"] = route.User, ["server_name"] = names.ServerName(route.Environment), ["last_activity"] = HubJson.Time(activity.GetValueOrDefault(route.EnvironmentId)),
            });
        }

        var page = new JsonObject();
        foreach (var (key, value) in all.Skip(offset).Take(limit))
        {
            page[key] = value;
        }

        return HubPaging.Answer(http.Request, page, offset, limit, all.Count);
    }

    private static JsonObject Route(string spec, string target, JsonObject data) =>
        new() { ["routespec"] = spec, ["target"] = target, ["data"] = data };
}
