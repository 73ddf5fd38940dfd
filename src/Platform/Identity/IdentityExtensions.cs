using DevPlatform.Api;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace DevPlatform.Identity;

internal static class IdentityExtensions
{
    /// <summary>Sessions for people (cookie), the operator's admin token, and the dev login when configured.</summary>
    public static IHostApplicationBuilder AddIdentity(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<DevLoginOptions>(builder.Configuration.GetSection(DevLoginOptions.Section));
        builder.Services.AddScoped<SignInService>();
        builder.Services.AddScoped<ExternalLoginService>();
        builder.Services.AddScoped<LoginPageRenderer>();
        builder.Services.AddSingleton<IdentityEnvironment>();
        builder.Services.AddSingleton<SessionRevocation>();
        builder.Services.AddMemoryCache();
        builder.Services.AddScoped<ApiTokenService>();
        builder.Services.AddHostedService<DevLoginBindingCheck>();
        builder.Services.AddAntiforgery(o => o.Cookie.Name = "devplatform-antiforgery");
        builder.Services.AddAuthentication(SessionDefaults.PlatformScheme)
            .AddPolicyScheme(SessionDefaults.PlatformScheme, null, o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.Count > 0 && !ResolvesItsOwnCallers(context.Request) ? TokenAuthenticationHandler.SchemeName : SessionDefaults.Scheme)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null)
            .AddCookie(SessionDefaults.Scheme, o =>
            {
                o.Cookie.Name = SessionDefaults.CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = SessionDefaults.LoginPath;
                o.ReturnUrlParameter = "next";
                o.ExpireTimeSpan = TimeSpan.FromDays(14);
                o.SlidingExpiration = true;
                o.Events = new CookieAuthenticationEvents
                {
                    OnValidatePrincipal = context => context.HttpContext.RequestServices.GetRequiredService<SessionRevocation>().ValidateAsync(context),
                    OnRedirectToLogin = context => IsApi(context.Request)
                        ? Results.Problem(statusCode: 401, title: "Authentication required.", detail: "Sign in, or send 'Authorization: Bearer <token>'.").ExecuteAsync(context.HttpContext)
                        : RedirectAsync(context),
                    OnRedirectToAccessDenied = context => IsApi(context.Request)
                        ? Results.Problem(statusCode: 403, title: "Forbidden.", detail: "You are signed in but may not do this.").ExecuteAsync(context.HttpContext)
                        : Results.Content(ForbiddenPage(context.HttpContext), "text/html; charset=utf-8", statusCode: 403).ExecuteAsync(context.HttpContext),
                };
            });
        return builder;
    }

    /// <summary>What a signed-in person sees at a console page that is not theirs (an admin page, say); with dev login, how to be an admin.</summary>
    private static string ForbiddenPage(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<DevLoginOptions>>().Value;
        var name = System.Net.WebUtility.HtmlEncode(context.User.Identity?.Name ?? "");
        var dev = options.DevLoginEnabled && options.DevAdmins.Count > 0
            ? $"<p>On this install dev login makes <strong>{System.Net.WebUtility.HtmlEncode(string.Join(", ", options.DevAdmins))}</strong> an administrator (<code>Auth:DevAdmins</code>): sign out and sign in with that name.</p>"
            : "<p>If you need it, ask an administrator to make your account one (Users page or <code>PUT /api/users/{name}</code> with <code>\"admin\": true</code>).</p>";
        return $"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Not for this account · DevPlatform</title><link rel="stylesheet" href="/console/assets/console.css"></head>
            <body><main id="main"><h1>This page is for administrators</h1>
            <p>You are signed in as <strong>{name}</strong>, who is not an administrator.</p>
            {dev}
            <p><a class="button" href="/">Back to your environments</a> <a class="button secondary" href="/hub/logout">Sign out</a></p></main></body></html>
            """;
    }

    /// <summary>
    /// The hub API (<c>HubCallers</c>) and the proxies (<c>ProxyAccess</c>) read tokens themselves, hub tokens included; the
    /// operator-token check must not run on them first, or every hub token would be audited as a refused admin token.
    /// </summary>
    private static bool ResolvesItsOwnCallers(HttpRequest request) => request.Path.StartsWithSegments("/hub/api") || Proxy.ProxyAccess.IsProxied(request);

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hub/api");

    private static Task RedirectAsync(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
