using System.Security.Cryptography;
using DevPlatform.Api;
using DevPlatform.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;

namespace DevPlatform.Proxy;

/// <summary>
/// Signing a browser in to a user's environment host in subdomain mode. The hub's session cookie never leaves the hub's
/// host, so the environment host sends the browser to <c>/hub/env-login</c> on the hub, which (for the owner or an
/// admin) hands back a one-minute ticket bound to that host; <c>/hub/env-callback</c> on the environment host turns it
/// into a cookie of that host alone (12 h, HttpOnly, <c>__Host-</c> over https), which the proxy then reads. Ticket and
/// cookie name the hub session they came from (user, session id, sign-in time), and every use is admitted through
/// <see cref="SessionRevocation.AdmitAsync"/>: disabling the user, signing out everywhere or logging that session out
/// ends them too, and admin rights are the user's current ones, never copied into the cookie.
/// </summary>
internal static class EnvironmentSignIn
{
    public const string CookieName = "devplatform-env";
    public const string SecureCookieName = "__Host-" + CookieName;
    private static readonly TimeSpan TicketLifetime = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan CookieLifetime = TimeSpan.FromHours(12);

    public static IEndpointRouteBuilder MapEnvironmentSignIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/hub/env-login", LoginAsync).ExcludeFromDescription();
        endpoints.MapGet("/hub/env-callback", Callback).ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>Where a browser without an environment cookie is sent: the hub's hand-off, back to this very URL.</summary>
    public static string LoginUrl(EnvironmentHosts hosts, HttpRequest request) =>
        $"{hosts.HubOrigin}/hub/env-login?next={Uri.EscapeDataString($"{request.Scheme}://{request.Host}{request.Path}{Api.AuthorizationHeader.WithoutToken(request.QueryString)}")}";

    /// <summary>The caller named by this host's environment cookie, or null (none, expired, another host's, or its session ended).</summary>
    public static async Task<ProxyCaller?> CallerAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var value = context.Request.Cookies[context.Request.IsHttps ? SecureCookieName : CookieName];
        if (value is null || Read(CookieProtector(context), value) is not { } session || session.Host != context.Request.Host.Value)
        {
            return null;
        }

        var admin = await context.RequestServices.GetRequiredService<SessionRevocation>().AdmitAsync(session.User, session.IssuedMs, session.SessionId);
        return admin is null ? null : new ProxyCaller(session.User, admin.Value);
    }

    /// <summary>On the hub's host: the signed-in owner (or an admin) gets a ticket for the environment host in <c>next</c>.</summary>
    private static async Task<IResult> LoginAsync(HttpContext context, EnvironmentHosts hosts, string? next)
    {
        if (!hosts.Enabled || hosts.UserOf(context.Request.Host) is not null)
        {
            return Results.NotFound();
        }

        var session = await context.AuthenticateAsync(SessionDefaults.Scheme);
        if (!session.Succeeded)
        {
            return Results.Redirect($"{SessionDefaults.LoginPath}?next={Uri.EscapeDataString(context.Request.Path + context.Request.QueryString)}");
        }

        if (!Uri.TryCreate(next, UriKind.Absolute, out var target) || target.Scheme is not ("http" or "https") || hosts.UserOf(new HostString(target.Authority)) is not { } owner)
        {
            return Results.Problem(statusCode: 400, title: "Not an environment address.", detail: "'next' must be the address of an environment, such as https://alice.envs.example.org/user/alice/lab/.");
        }

        var principal = session.Principal!;
        var name = principal.Identity!.Name!;
        if (name != owner && !principal.IsInRole(TokenAuthenticationHandler.AdminRole))
        {
            return Results.Problem(statusCode: 403, title: "Not your environment.", detail: $"{name} may not open {owner}'s environments.");
        }

        var issued = long.Parse(principal.FindFirst(SessionDefaults.IssuedAtClaim)!.Value, System.Globalization.CultureInfo.InvariantCulture); // the session check guarantees it
        var ticket = Write(TicketProtector(context), new HostSession(name, principal.FindFirst(SessionDefaults.SessionIdClaim)?.Value ?? "", issued, target.Authority), TicketLifetime);
        return Results.Redirect($"{target.Scheme}://{target.Authority}/hub/env-callback?ticket={Uri.EscapeDataString(ticket)}&next={Uri.EscapeDataString(target.PathAndQuery)}");
    }

    /// <summary>On the environment host: the ticket becomes this host's cookie, and the browser goes on to <c>next</c>.</summary>
    private static IResult Callback(HttpContext context, EnvironmentHosts hosts, string? ticket, string? next)
    {
        if (hosts.UserOf(context.Request.Host) is null)
        {
            return Results.NotFound();
        }

        if (Read(TicketProtector(context), ticket ?? string.Empty) is not { } session || session.Host != context.Request.Host.Value)
        {
            return Results.Problem(statusCode: 400, title: "Sign-in link expired.", detail: "The link was not for this address or is older than a minute; open the environment again.");
        }

        var https = context.Request.IsHttps;
        context.Response.Cookies.Append(https ? SecureCookieName : CookieName, Write(CookieProtector(context), session, CookieLifetime),
            new CookieOptions { HttpOnly = true, Secure = https, SameSite = SameSiteMode.Lax, Path = "/", MaxAge = CookieLifetime });
        return Results.Redirect(next is { Length: > 0 } && next.StartsWith("/user/", StringComparison.Ordinal) && !next.Contains("//", StringComparison.Ordinal) ? next : "/");
    }

    /// <summary>The hub session a ticket or cookie came from, and the one environment host it is for.</summary>
    private sealed record HostSession(string User, string SessionId, long IssuedMs, string Host);

    private static string Write(ITimeLimitedDataProtector protector, HostSession session, TimeSpan lifetime) =>
        protector.Protect(System.Text.Json.JsonSerializer.Serialize(session), lifetime);

    private static HostSession? Read(ITimeLimitedDataProtector protector, string value)
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<HostSession>(protector.Unprotect(value));
        }
        catch (Exception e) when (e is CryptographicException or System.Text.Json.JsonException)
        {
            return null; // expired, tampered with, or not ours
        }
    }

    private static ITimeLimitedDataProtector TicketProtector(HttpContext context) =>
        context.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector("devplatform.environment-ticket").ToTimeLimitedDataProtector();

    private static ITimeLimitedDataProtector CookieProtector(HttpContext context) =>
        context.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector("devplatform.environment-cookie").ToTimeLimitedDataProtector();
}
