using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DevPlatform.ServiceDefaults;

/// <summary>
/// Names ASP.NET Core's request span after the route (<c>GET /api/users/{name}</c>) and sets the
/// OpenTelemetry HTTP semantic-convention tags, which the ASP.NET Core instrumentation package would
/// do if our registry had it. Costs nothing when no listener samples the span.
/// </summary>
internal static class RequestTelemetry
{
    private const string HostingActivity = "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    public static IApplicationBuilder UseRequestTelemetry(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        await next(context);
        if (Activity.Current is not { IsAllDataRequested: true, OperationName: HostingActivity } activity)
        {
            return;
        }

        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        activity.DisplayName = route is null ? context.Request.Method : $"{context.Request.Method} {route}";
        activity.SetTag("http.request.method", context.Request.Method);
        activity.SetTag("url.path", context.Request.Path.Value);
        activity.SetTag("url.scheme", context.Request.Scheme);
        activity.SetTag("http.route", route);
        activity.SetTag("http.response.status_code", context.Response.StatusCode);
        if (context.Response.StatusCode >= StatusCodes.Status500InternalServerError)
        {
            activity.SetStatus(ActivityStatusCode.Error);
        }
    });
}
