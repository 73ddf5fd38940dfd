using Microsoft.AspNetCore.Http.Features;

namespace DevPlatform.Api;

/// <summary>
/// The platform's own endpoints (the API, the hub API, sign-in and the console) take bodies of at most 1 MiB; a larger
/// one is refused with 413 before it is read. Proxied traffic (<c>/user/…</c>, <c>/services/…</c>) keeps the server's
/// own limit: notebooks upload files.
/// </summary>
internal static class RequestBodyLimits
{
    public const long PlatformMaxBytes = 1024 * 1024;

    public static WebApplication UseRequestBodyLimits(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/user") && !context.Request.Path.StartsWithSegments("/services")
                && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = PlatformMaxBytes;
            }

            return next(context);
        });
        return app;
    }
}
