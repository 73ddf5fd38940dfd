using DevPlatform.Abstractions;
using DevPlatform.Audit;
using DevPlatform.Strategies;
using DevPlatform.Validation;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace DevPlatform.Identity;

/// <summary>The sign-in page, the dev login form, identity-provider redirects and callbacks, sign-out.</summary>
internal static class LoginEndpoints
{
    public static IEndpointRouteBuilder MapLogin(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(SessionDefaults.LoginPath, (HttpContext context, LoginPageRenderer page, string? next) =>
            page.Render(context, next, null, StatusCodes.Status200OK)).ExcludeFromDescription();
        endpoints.MapPost(SessionDefaults.LoginPath, DevLoginAsync).ExcludeFromDescription();
        endpoints.MapGet(SessionDefaults.LoginPath + "/{provider}", BeginAsync).ExcludeFromDescription();
        endpoints.MapGet(SessionDefaults.LoginPath + "/{provider}/callback", CallbackAsync).ExcludeFromDescription();

        // GET, as JupyterHub's own logout link expects: signing a browser out is harmless to force.
        endpoints.MapGet("/hub/logout", async (HttpContext context, SessionRevocation sessions, CancellationToken ct) =>
        {
            await sessions.EndAsync(context, ct);
            return Results.Redirect(SessionDefaults.LoginPath);
        }).ExcludeFromDescription();
        endpoints.MapPost("/hub/logout", SignOutEverywhereAsync).ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>Only same-site paths: never an open redirect.</summary>
    public static string SafeNext(string? next) =>
        next is { Length: > 0 and <= 2048 } && next[0] == '/' && !next.StartsWith("//", StringComparison.Ordinal) && !next.StartsWith("/\\", StringComparison.Ordinal)
        && !next.Any(char.IsControl) ? next : "/";

    private static async Task<IResult> DevLoginAsync(
        HttpContext context, LoginPageRenderer page, IOptions<DevLoginOptions> options, SignInService signIn, AccessAudit audit,
        [FromForm] string? username, [FromForm] string? next, CancellationToken cancellationToken)
    {
        if (!options.Value.DevLoginEnabled || !LoopbackCheck.ArrivedOnLoopback(context))
        {
            return page.Render(context, next, "Dev login is not available here.", StatusCodes.Status403Forbidden);
        }

        var errors = new ValidationErrors();
        errors.CheckName("username", username);
        if (errors.Any)
        {
            return page.Render(context, next, "A username is lower-case letters, digits and '-' (e.g. 'alice').", StatusCodes.Status400BadRequest);
        }

        try
        {
            await signIn.SignInAsync(context, username!, DevLoginOptions.DevProvider, cancellationToken);
        }
        catch (ApiProblemException e)
        {
            await audit.RecordAsync(username!, "login-refused", "session", username!, context, new { provider = DevLoginOptions.DevProvider, reason = e.Message });
            return page.Render(context, next, e.Message, e.Status);
        }

        await audit.RecordAsync(username!, "login", "session", username!, context, new { provider = DevLoginOptions.DevProvider });
        return Results.Redirect(SafeNext(next));
    }

    private static async Task<IResult> BeginAsync(
        string provider, string? next, HttpContext context, LoginPageRenderer page, NamedStrategies<IAuthProvider> providers,
        IOptions<DevLoginOptions> options, ExternalLoginService logins, CancellationToken cancellationToken)
    {
        if (Enabled(provider, providers, options) is not { } redirect)
        {
            return page.Render(context, next, $"There is no sign-in provider '{provider}' on this hub.", StatusCodes.Status404NotFound);
        }

        return Results.Redirect((await logins.BeginAsync(context, redirect, SafeNext(next), cancellationToken)).AbsoluteUri);
    }

    private static async Task<IResult> CallbackAsync(
        string provider, string? code, string? state, string? error, HttpContext context, LoginPageRenderer page,
        NamedStrategies<IAuthProvider> providers, IOptions<DevLoginOptions> options, ExternalLoginService logins, SignInService signIn,
        AccessAudit audit, ILogger<ExternalLoginService> logger, CancellationToken cancellationToken)
    {
        if (Enabled(provider, providers, options) is not { } redirect)
        {
            return page.Render(context, null, $"There is no sign-in provider '{provider}' on this hub.", StatusCodes.Status404NotFound);
        }

        string? who = null;
        try
        {
            var attempt = await logins.ConsumeAsync(context, provider, state, cancellationToken);
            if (error is not null || code is not { Length: > 0 })
            {
                throw new AuthRefusedException($"{redirect.DisplayName} did not sign you in ({Shorten(error ?? "no code was returned")}).");
            }

            var identity = await redirect.CompleteAsync(new AuthCallback(logins.CallbackUrl(context, provider), code, attempt.CodeVerifier, attempt.Nonce), cancellationToken);
            who = identity.Username;
            var user = await signIn.SignInAsync(context, provider, identity, cancellationToken);
            await audit.RecordAsync(user.Name, "login", "session", user.Name, context, new { provider, subject = identity.Subject });
            return Results.Redirect(SafeNext(attempt.ReturnUrl));
        }
        catch (Exception e) when (e is AuthRefusedException or ApiProblemException)
        {
            await audit.RecordAsync(who ?? "anonymous", "login-refused", "session", who ?? "-", context, new { provider, reason = e.Message });
            return page.Render(context, null, e.Message, StatusCodes.Status403Forbidden);
        }
        catch (HttpRequestException e)
        {
            logger.LogWarning("Sign-in with {Provider} failed: the identity provider could not be reached ({Message})", provider, e.Message);
            await audit.RecordAsync(who ?? "anonymous", "login-refused", "session", who ?? "-", context, new { provider, reason = "identity provider unreachable" });
            return page.Render(context, null, $"{redirect.DisplayName} could not be reached; try again in a minute.", StatusCodes.Status502BadGateway);
        }
    }

    /// <summary>Ends every session of the signed-in user, in every browser, and the hub tokens issued to them.</summary>
    private static async Task<IResult> SignOutEverywhereAsync(HttpContext context, IAntiforgery antiforgery, SessionRevocation revocation, CancellationToken cancellationToken)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Results.Problem(statusCode: 400, title: "Form expired.", detail: "The form's antiforgery token is missing or invalid; reload the page and try again.");
        }

        if (context.User.Identity?.IsAuthenticated == true && context.User.Identity.Name is { } name)
        {
            await revocation.RevokeAsync(name, name, context, cancellationToken);
        }

        await context.SignOutAsync(SessionDefaults.Scheme);
        return Results.Redirect(SessionDefaults.LoginPath);
    }

    /// <summary>The named provider when it is enabled and signs in by redirect.</summary>
    private static IRedirectAuthProvider? Enabled(string name, NamedStrategies<IAuthProvider> providers, IOptions<DevLoginOptions> options) =>
        options.Value.Providers.Contains(name, StringComparer.Ordinal) ? providers.Find(name) as IRedirectAuthProvider : null;

    private static string Shorten(string value) => value.Length > 100 ? value[..100] : value;
}
