using DevPlatform.Identity;

namespace DevPlatform.Api;

/// <summary>
/// A state change of <c>/api</c> or <c>/hub/api</c> that would be authenticated by the session cookie must come from a
/// page of this very origin: <c>Sec-Fetch-Site: same-origin</c> (or, from a browser that does not send it, an
/// <c>Origin</c> equal to this host's). Another site, a sibling subdomain (an environment in subdomain mode) and a
/// sandboxed page (<c>Origin: null</c>, what the proxy makes of an environment opened by someone not its owner) are
/// refused with 403. Requests with an Authorization header are not cookie-authenticated and pass.
/// </summary>
internal static class SameOriginWrites
{
    public static WebApplication UseSameOriginWrites(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (Refusal(context.Request) is { } reason)
            {
                await Results.Problem(statusCode: 403, title: "Cross-origin request refused.",
                    detail: $"{reason} Signed-in changes are accepted only from this site's own pages; scripts and other sites should send 'Authorization: Bearer <token>'.").ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        return app;
    }

    /// <summary>Why the request is refused, or null.</summary>
    public static string? Refusal(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var safe = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method);
        if (safe || !(request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hub/api"))
            || request.Headers.Authorization.Count > 0 || !request.Cookies.ContainsKey(SessionDefaults.CookieName))
        {
            return null;
        }

        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site is "same-origin" or "none" ? null : $"The request came from a {site} page (Sec-Fetch-Site: {site}).";
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0 || string.Equals(origin, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"The request came from {origin}, not {request.Scheme}://{request.Host.Value}.";
    }
}
