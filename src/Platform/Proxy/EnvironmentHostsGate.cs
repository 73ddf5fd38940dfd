namespace DevPlatform.Proxy;

/// <summary>
/// In subdomain mode a user's environment host serves that user's environments and the sign-in hand-off, nothing else:
/// never the console, the API or another user's environment (404), so no hub page ever runs on an environment origin.
/// </summary>
internal static class EnvironmentHostsGate
{
    public static WebApplication UseEnvironmentHosts(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var hosts = context.RequestServices.GetRequiredService<EnvironmentHosts>();
            if (hosts.UserOf(context.Request.Host) is { } user && !context.Request.Path.StartsWithSegments($"/user/{user}") && context.Request.Path != "/hub/env-callback")
            {
                await Results.Problem(statusCode: 404, title: "Not here.", detail: $"This address serves {user}'s environments only; the hub is at {hosts.HubOrigin}.").ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        return app;
    }
}
