using System.Globalization;
using DevPlatform.Audit;
using DevPlatform.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace DevPlatform.Identity;

/// <summary>
/// "Sign out everywhere": sessions begun before the user's <c>SessionsRevokedAt</c> are over, as are sessions of
/// disabled users. Each request's session is checked against the database at most every <see cref="CheckEvery"/>
/// per user (cached), so a revocation reaches every replica within that time.
/// </summary>
internal sealed class SessionRevocation(IServiceScopeFactory scopes, IMemoryCache cache, TimeProvider time, AccessAudit audit)
{
    public static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(15);

    public async Task RevokeAsync(string user, string actor, HttpContext context, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
        var now = time.GetUtcNow();
        var found = await db.Users.Where(u => u.Name == user).ExecuteUpdateAsync(s => s.SetProperty(u => u.SessionsRevokedAt, now), cancellationToken);
        if (found == 0)
        {
            throw new Validation.ResourceNotFoundException("user", user);
        }

        // OAuth tokens, and tokens derived from a token: none outlives signing out everywhere.
        await db.ApiTokens.Where(t => (t.Kind == ApiTokenKind.OAuth || t.ParentId != null) && db.Users.Any(u => u.Id == t.UserId && u.Name == user)).ExecuteDeleteAsync(cancellationToken);
        cache.Remove(Key(user));
        await audit.RecordAsync(actor, "logout-everywhere", "session", user, context);
    }

    /// <summary>Cookie validation: rejects the session when it was revoked or the account is disabled.</summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var name = context.Principal?.Identity?.Name;
        var issued = context.Principal?.FindFirst(SessionDefaults.IssuedAtClaim)?.Value;
        if (name is null || !long.TryParse(issued, NumberStyles.None, CultureInfo.InvariantCulture, out var issuedMs))
        {
            context.RejectPrincipal(); // a session from before revocation existed: sign in again
            return;
        }

        var sessionId = context.Principal!.FindFirst(SessionDefaults.SessionIdClaim)?.Value;
        if (await AdmitAsync(name, issuedMs, sessionId) is not { } admin)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(SessionDefaults.Scheme);
            return;
        }

        if (admin != context.Principal.IsInRole(Api.TokenAuthenticationHandler.AdminRole))
        {
            // Made or unmade an admin since signing in: the live session follows within CheckEvery, no new sign-in needed.
            var identity = new System.Security.Claims.ClaimsIdentity(context.Principal.Claims.Where(c => !(c.Type == System.Security.Claims.ClaimTypes.Role && c.Value == Api.TokenAuthenticationHandler.AdminRole)),
                context.Principal.Identity!.AuthenticationType);
            if (admin)
            {
                identity.AddClaim(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Role, Api.TokenAuthenticationHandler.AdminRole));
            }

            context.ReplacePrincipal(new System.Security.Claims.ClaimsPrincipal(identity));
            context.ShouldRenew = true;
        }
    }

    /// <summary>
    /// Whether a session of <paramref name="user"/> begun at <paramref name="issuedMs"/> still stands (not disabled, not
    /// signed out everywhere since, not ended by <c>/hub/logout</c>), and if so whether the user is an admin now; null when
    /// it does not. Read from the database at most every <see cref="CheckEvery"/> per user. Credentials derived from a
    /// session (an environment host's cookie in subdomain mode) are checked here too.
    /// </summary>
    public async Task<bool?> AdmitAsync(string user, long issuedMs, string? sessionId)
    {
        var state = await cache.GetOrCreateAsync(Key(user), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CheckEvery;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
            return await db.Users.Where(u => u.Name == user).Select(u => new UserSessionState(
                u.Disabled, u.SessionsRevokedAt, u.Admin, db.EndedSessions.Where(e => e.UserId == u.Id).Select(e => e.SessionId).ToList())).FirstOrDefaultAsync();
        });
        return state is null || state.Disabled || (state.RevokedAt is { } revoked && issuedMs < revoked.ToUnixTimeMilliseconds())
            || (sessionId is not null && state.Ended.Contains(sessionId))
            ? null
            : state.Admin;
    }

    /// <summary>Ends this browser's session for good (<c>/hub/logout</c>): its cookie is refused everywhere from now on.</summary>
    public async Task EndAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var result = await context.AuthenticateAsync(SessionDefaults.Scheme);
        if (result.Principal?.Identity?.Name is { } name && result.Principal.FindFirst(SessionDefaults.SessionIdClaim)?.Value is { } sessionId)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
            var now = time.GetUtcNow();
            await db.EndedSessions.Where(e => e.EndedAt < now - SessionLifetime).ExecuteDeleteAsync(cancellationToken);
            if (await db.Users.Where(u => u.Name == name).Select(u => (long?)u.Id).FirstOrDefaultAsync(cancellationToken) is { } userId
                && !await db.EndedSessions.AnyAsync(e => e.SessionId == sessionId, cancellationToken))
            {
                db.EndedSessions.Add(new EndedSession { SessionId = sessionId, UserId = userId, EndedAt = now });
                await db.SaveChangesAsync(cancellationToken);
            }

            cache.Remove(Key(name));
        }

        await context.SignOutAsync(SessionDefaults.Scheme);
    }

    /// <summary>A session cookie unused this long has expired anyway (the cookie's sliding lifetime, with a day to spare).</summary>
    private static readonly TimeSpan SessionLifetime = TimeSpan.FromDays(15);

    private static string Key(string user) => $"session-state:{user}";

    private sealed record UserSessionState(bool Disabled, DateTimeOffset? RevokedAt, bool Admin, List<string> Ended);
}
