using System.Diagnostics;
using System.Net;
using Yarp.ReverseProxy.Forwarder;
using DevPlatform.Api;
using DevPlatform.Identity;

namespace DevPlatform.Proxy;

internal static class ProxyEndpoints
{
    /// <summary>The "code" label of the proxied-requests counter by the status's first digit, made once rather than per request.</summary>
    private static readonly string[] StatusClasses = ["0xx", "1xx", "2xx", "3xx", "4xx", "5xx"];

    public static IHostApplicationBuilder AddProxy(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpForwarder();
        builder.Services.AddSingleton<WorkloadForwarder>();
        builder.Services.AddSingleton<ProxyRouteTable>();
        builder.Services.AddHostedService<RouteSync>();
        builder.Services.Configure<ProxyOptions>(builder.Configuration.GetSection(ProxyOptions.Section));
        builder.Services.AddSingleton<EnvironmentHosts>();
        builder.Services.AddHostedService<EnvironmentHostsCheck>();
        builder.Services.AddSingleton<ActivityTracker>();
        builder.Services.AddHostedService<ActivityFlusher>();
        builder.Services.AddSingleton(_ => new HttpMessageInvoker(new SocketsHttpHandler // one for every forwarded request (YARP's direct forwarding)
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            // Trace context as YARP's docs configure it when traces are exported; otherwise none: the propagator makes every
            // forwarded request start an activity of its own and carry a traceparent no one collects.
            ActivityHeadersPropagator = ServiceDefaults.Telemetry.Exported(builder.Configuration) ? new ReverseProxyPropagator(DistributedContextPropagator.Current) : null,
            ConnectTimeout = TimeSpan.FromSeconds(15),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        }));
        return builder;
    }

    /// <summary><c>/user/{user}/{environment}/…</c>: HTTP and WebSocket to the owner's (or an admin's) running environment.</summary>
    public static IEndpointRouteBuilder MapProxy(this IEndpointRouteBuilder endpoints)
    {
        // Routing ignores a trailing slash, so this also matches "/user/alice/nb/": that one is forwarded, only the bare name redirects.
        endpoints.Map("/user/{user}/{environment}", (HttpContext context, string user, string environment, ProxyRouteTable routes, WorkloadForwarder forwarder, ActivityTracker activity, Metrics.PlatformMetrics metrics) =>
        {
            if (context.Request.Path.Value!.EndsWith('/'))
            {
                return ForwardAsync(context, user, environment, routes, forwarder, activity, metrics);
            }

            context.Response.Redirect(context.Request.Path + "/" + AuthorizationHeader.WithoutToken(context.Request.QueryString)); // never a token in a redirect
            return Task.CompletedTask;
        }).ExcludeFromDescription().DisableAntiforgery();
        endpoints.Map("/user/{user}/{environment}/{**rest}", ForwardAsync).ExcludeFromDescription().DisableAntiforgery();
        return endpoints;
    }

    private static string StatusClass(int status) => status / 100 is >= 0 and < 6 ? StatusClasses[status / 100] : $"{status / 100}xx";

    private static async Task ForwardAsync(
        HttpContext context, string user, string environment, ProxyRouteTable routes, WorkloadForwarder forwarder, ActivityTracker activity, Metrics.PlatformMetrics metrics)
    {
        var hosts = context.RequestServices.GetRequiredService<EnvironmentHosts>();
        var onEnvironmentHost = hosts.UserOf(context.Request.Host) is not null;
        if (hosts.Enabled && !onEnvironmentHost)
        {
            context.Response.Redirect($"{hosts.Origin(user)}{context.Request.Path}{AuthorizationHeader.WithoutToken(context.Request.QueryString)}"); // subdomain mode: never on the hub's origin
            return;
        }

        var caller = await ProxyAccess.CallerAsync(context);
        if (caller is null)
        {
            context.Response.Redirect(onEnvironmentHost
                ? EnvironmentSignIn.LoginUrl(hosts, context.Request)
                : $"{SessionDefaults.LoginPath}?next={Uri.EscapeDataString(context.Request.Path + AuthorizationHeader.WithoutToken(context.Request.QueryString))}");
            return;
        }

        if (caller.Name != user && !caller.Admin)
        {
            await Results.Problem(statusCode: 403, title: "Not your environment.", detail: $"{caller.Name} may not open {user}/{environment}.").ExecuteAsync(context);
            return;
        }

        var route = routes.Find(user, environment);
        if (route is null)
        {
            await Results.Problem(statusCode: 503, title: "Environment not running.",
                detail: $"{user}/{environment} is not running; start it from the console or with POST /api/users/{user}/environments/{environment}/start.").ExecuteAsync(context);
            return;
        }

        if (caller.RefusalFor(route, context.Request) is { } refusal)
        {
            await Results.Problem(statusCode: 403, title: "Not allowed with this credential.", detail: refusal).ExecuteAsync(context);
            return;
        }

        activity.Mark(route.EnvironmentId);
        var prefix = Hub.HubEnvironment.Prefix(user, environment).TrimEnd('/');
        var credential = caller.Credential;
        if (!await forwarder.ForwardAsync(context, EnvironmentTransformer.Destination(route, prefix, context.Request, credential is not null), r => EnvironmentTransformer.Apply(context, r, credential),
                caller.Name == user || onEnvironmentHost ? null : EnvironmentTransformer.SandboxForVisitors))
        {
            await Results.Problem(statusCode: 502, title: "Environment did not answer.", detail: $"{user}/{environment} did not answer; it may be restarting.").ExecuteAsync(context);
        }

        metrics.ProxyRequests.Add(1, new KeyValuePair<string, object?>("code", StatusClass(context.Response.StatusCode)));
    }
}
