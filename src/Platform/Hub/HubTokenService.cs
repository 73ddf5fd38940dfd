using System.Security.Cryptography;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Hub;

/// <summary>Issues and resolves hub-protocol tokens; only their SHA-256 is stored.</summary>
internal sealed class HubTokenService(PlatformDbContext db, TimeProvider time)
{
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromDays(14);
    private static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(5);

    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The environment's JUPYTERHUB_API_TOKEN (also its OAuth client secret). Saved with the caller's unit of work.</summary>
    public string AddServerToken(Guid environmentId, long userId, string userName)
    {
        var token = NewToken();
        db.HubTokens.Add(new HubToken
        {
            Hash = Identity.Secrets.Hash(token), Kind = HubTokenKind.Server, UserId = userId, EnvironmentId = environmentId, CreatedAt = time.GetUtcNow(),
            Scopes = [$"users:activity!user={userName}", $"access:servers!user={userName}"],
        });
        return token;
    }

    public async Task<string> IssueAsync(HubTokenKind kind, Guid environmentId, long userId, IReadOnlyList<string> scopes, string? sessionId, CancellationToken cancellationToken)
    {
        var token = NewToken();
        var now = time.GetUtcNow();
        db.HubTokens.Add(new HubToken
        {
            Hash = Identity.Secrets.Hash(token), Kind = kind, UserId = userId, EnvironmentId = environmentId, Scopes = scopes.ToList(), SessionId = sessionId,
            CreatedAt = now, ExpiresAt = now + (kind == HubTokenKind.Code ? CodeLifetime : AccessTokenLifetime),
        });
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }

    /// <summary>The live token of that kind, or null (unknown, expired or of another kind).</summary>
    public async Task<HubToken?> FindAsync(string? token, HubTokenKind kind, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200)
        {
            return null;
        }

        var hash = Identity.Secrets.Hash(token);
        var now = time.GetUtcNow();
        return await db.HubTokens.FirstOrDefaultAsync(t => t.Hash == hash && t.Kind == kind && (t.ExpiresAt == null || t.ExpiresAt > now), cancellationToken);
    }

    /// <summary>Single use: a code is deleted when it is exchanged.</summary>
    public async Task<HubToken?> RedeemCodeAsync(string? code, CancellationToken cancellationToken)
    {
        var found = await FindAsync(code, HubTokenKind.Code, cancellationToken);
        if (found is not null)
        {
            db.HubTokens.Remove(found);
            await db.SaveChangesAsync(cancellationToken);
        }

        return found;
    }
}
