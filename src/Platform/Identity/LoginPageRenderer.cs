using DevPlatform.Abstractions;
using DevPlatform.Strategies;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace DevPlatform.Identity;

/// <summary>The sign-in page with a fresh antiforgery token and one entry per enabled provider.</summary>
internal sealed class LoginPageRenderer(IAntiforgery antiforgery, IOptions<DevLoginOptions> options, NamedStrategies<IAuthProvider> providers)
{
    public IResult Render(HttpContext context, string? next, string? error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var redirects = options.Value.Providers
            .Select(providers.Find).OfType<IRedirectAuthProvider>()
            .Select(p => new LoginPage.ProviderLink(p.DisplayName, $"{SessionDefaults.LoginPath}/{p.Name}"))
            .ToList();
        var html = LoginPage.Render(LoginEndpoints.SafeNext(next), tokens.FormFieldName, tokens.RequestToken!, options.Value.DevLoginEnabled, redirects, error);
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
