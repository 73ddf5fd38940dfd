using DevPlatform.Api;
using Microsoft.AspNetCore.Authentication.Cookies;

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
                context.Request.Headers.Authorization.Count > 0 ? TokenAuthenticationHandler.SchemeName : SessionDefaults.Scheme)
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
                        : Results.Content(ForbiddenPage, "text/html; charset=utf-8", statusCode: 403).ExecuteAsync(context.HttpContext),
                };
            });
        return builder;
    }

    /// <summary>What a signed-in person sees at a console page that is not theirs (an admin page, say).</summary>
    private const string ForbiddenPage = """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Not for this account · DevPlatform</title><link rel="stylesheet" href="/console/assets/console.css"></head>
        <body><main id="main"><h1>This page is for administrators</h1>
        <p>You are signed in, but your account may not open this page. If you need it, ask an administrator.</p>
        <p><a class="button" href="/">Back to your environments</a></p></main></body></html>
        """;

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hub/api");

    private static Task RedirectAsync(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
