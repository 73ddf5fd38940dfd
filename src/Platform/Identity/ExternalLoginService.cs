using DevPlatform.Abstractions;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DevPlatform.Identity;

/// <summary>
/// The platform's half of an authorization-code sign-in: a fresh state, PKCE verifier and nonce per attempt, kept
/// server-side for ten minutes, bound to the browser by a cookie, and consumed by the first callback that presents
/// them, so a replayed or forwarded callback finds nothing.
/// </summary>
internal sealed class ExternalLoginService(PlatformDbContext db, IOptions<DevLoginOptions> options, TimeProvider time)
{
    public const string BrowserCookie = "devplatform-login";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    public async Task<Uri> BeginAsync(HttpContext context, IRedirectAuthProvider provider, string returnUrl, CancellationToken cancellationToken)
    {
        var browser = context.Request.Cookies[BrowserCookie] is { Length: 43 } existing ? existing : Secrets.NewUrlSafe();
        context.Response.Cookies.Append(BrowserCookie, browser, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps, Path = SessionDefaults.LoginPath, MaxAge = Lifetime,
        });

        var now = time.GetUtcNow();
        await db.LoginAttempts.Where(a => a.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        var state = Secrets.NewUrlSafe();
        var attempt = new LoginAttempt
        {
            StateHash = Secrets.Hash(state), Provider = provider.Name, BrowserHash = Secrets.Hash(browser), CodeVerifier = Secrets.NewUrlSafe(), Nonce = Secrets.NewUrlSafe(),
            ReturnUrl = returnUrl, ExpiresAt = now + Lifetime,
        };
        db.LoginAttempts.Add(attempt);
        await db.SaveChangesAsync(cancellationToken);
        return await provider.AuthorizeUrlAsync(
            new AuthorizeRequest(CallbackUrl(context, provider.Name), state, Secrets.CodeChallenge(attempt.CodeVerifier), attempt.Nonce), cancellationToken);
    }

    /// <summary>Takes the attempt a callback's state names, once; refuses it when it is unknown, used, expired, for another provider or another browser.</summary>
    public async Task<LoginAttempt> ConsumeAsync(HttpContext context, string provider, string? state, CancellationToken cancellationToken)
    {
        var stateHash = state is { Length: > 0 and < 200 } ? Secrets.Hash(state) : null;
        var attempt = stateHash is null ? null : await db.LoginAttempts.AsNoTracking().FirstOrDefaultAsync(a => a.StateHash == stateHash, cancellationToken);
        if (attempt is null || await db.LoginAttempts.Where(a => a.StateHash == attempt.StateHash).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            throw new AuthRefusedException("This sign-in link was already used or is unknown; start again.");
        }

        if (attempt.ExpiresAt < time.GetUtcNow())
        {
            throw new AuthRefusedException("This sign-in took longer than ten minutes; start again.");
        }

        if (attempt.Provider != provider || context.Request.Cookies[BrowserCookie] is not { } browser || Secrets.Hash(browser) != attempt.BrowserHash)
        {
            throw new AuthRefusedException("This sign-in was started in a different browser; start again here.");
        }

        return attempt;
    }

    /// <summary><c>Auth:PublicUrl</c> when set (behind a load balancer), else the address this request came to.</summary>
    public Uri CallbackUrl(HttpContext context, string provider)
    {
        var root = options.Value.PublicUrl is { Length: > 0 } configured ? configured.TrimEnd('/') : $"{context.Request.Scheme}://{context.Request.Host}";
        return new Uri($"{root}{SessionDefaults.LoginPath}/{provider}/callback");
    }
}
