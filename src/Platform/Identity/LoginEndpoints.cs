using DevPlatform.Validation;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace DevPlatform.Identity;

internal static class LoginEndpoints
{
    public static IEndpointRouteBuilder MapLogin(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(SessionDefaults.LoginPath, (HttpContext context, IAntiforgery antiforgery, IOptions<DevLoginOptions> options, string? next) =>
            Page(context, antiforgery, options.Value, next, null, StatusCodes.Status200OK)).ExcludeFromDescription();

        endpoints.MapPost(SessionDefaults.LoginPath, async (
            HttpContext context, IAntiforgery antiforgery, IOptions<DevLoginOptions> options, SignInService signIn,
            [FromForm] string? username, [FromForm] string? next, CancellationToken cancellationToken) =>
        {
            if (!options.Value.DevLoginEnabled || !LoopbackCheck.ArrivedOnLoopback(context))
            {
                return Page(context, antiforgery, options.Value, next, "Dev login is not available here.", StatusCodes.Status403Forbidden);
            }

            var errors = new ValidationErrors();
            errors.CheckName("username", username);
            if (errors.Any)
            {
                return Page(context, antiforgery, options.Value, next, "A username is lower-case letters, digits and '-' (e.g. 'alice').", StatusCodes.Status400BadRequest);
            }

            try
            {
                await signIn.SignInAsync(context, username!, DevLoginOptions.DevProvider, cancellationToken);
            }
            catch (ApiProblemException e)
            {
                return Page(context, antiforgery, options.Value, next, e.Message, e.Status);
            }

            return Results.Redirect(SafeNext(next));
        }).ExcludeFromDescription();

        endpoints.MapGet("/hub/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync(SessionDefaults.Scheme);
            return Results.Redirect(SessionDefaults.LoginPath);
        }).ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>Only same-site paths: never an open redirect.</summary>
    public static string SafeNext(string? next) =>
        next is { Length: > 0 } && next[0] == '/' && !next.StartsWith("//", StringComparison.Ordinal) && !next.StartsWith("/\\", StringComparison.Ordinal) ? next : "/";

    private static IResult Page(HttpContext context, IAntiforgery antiforgery, DevLoginOptions options, string? next, string? error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return Results.Content(LoginPage.Render(SafeNext(next), tokens.FormFieldName, tokens.RequestToken!, options.DevLoginEnabled, error), "text/html; charset=utf-8", statusCode: status);
    }
}
