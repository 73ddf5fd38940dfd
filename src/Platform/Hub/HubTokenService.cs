using System.Security.Cryptography;
using DevPlatform.Identity;
using DevPlatform.Persistence;

namespace DevPlatform.Hub;

/// <summary>
/// Issues the hub protocol's tokens into the platform's one token store (<see cref="ApiToken"/>, kinds
/// Server, OAuth and Code) and finds them through <see cref="ApiTokenService"/>; only their SHA-256 is stored.
/// </summary>
internal sealed class HubTokenService(PlatformDbContext db, ApiTokenService store, TimeProvider time)
{
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromDays(14);
    private static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The environment's JUPYTERHUB_API_TOKEN (also its OAuth client secret), scoped to its own server as JupyterHub 4
    /// scopes it (<c>access:servers!server=</c>), so one environment cannot open the owner's others. Saved with the
    /// caller's unit of work.
    /// </summary>
    public string AddServerToken(Guid environmentId, long userId, string userName, string environmentName)
    {
        var (token, entity) = New(ApiTokenKind.Server, environmentId, userId, [$"users:activity!user={userName}", $"access:servers!server={userName}/{environmentName}"], null);
        db.ApiTokens.Add(entity);
        return token;
    }

    public async Task<string> IssueAsync(ApiTokenKind kind, Guid environmentId, long userId, IReadOnlyList<string> scopes, string? sessionId, CancellationToken cancellationToken)
    {
        var (token, entity) = New(kind, environmentId, userId, scopes, sessionId);
        entity.ExpiresAt = entity.CreatedAt + (kind == ApiTokenKind.Code ? CodeLifetime : AccessTokenLifetime);
        db.ApiTokens.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }

    /// <summary>A code or access token issued to a shared service (its OAuth client) for a user.</summary>
    public async Task<string> IssueForServiceAsync(ApiTokenKind kind, Guid serviceId, long userId, IReadOnlyList<string> scopes, string? sessionId, CancellationToken cancellationToken)
    {
        var (token, entity) = New(kind, null, userId, scopes, sessionId);
        entity.ServiceId = serviceId;
        entity.ExpiresAt = entity.CreatedAt + (kind == ApiTokenKind.Code ? CodeLifetime : AccessTokenLifetime);
        db.ApiTokens.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }

    /// <summary>The live token of that kind, or null (unknown, expired or of another kind).</summary>
    public Task<ApiToken?> FindAsync(string? token, ApiTokenKind kind, CancellationToken cancellationToken) => store.FindAsync(token, kind, cancellationToken);

    /// <summary>Single use: a code is deleted when it is exchanged, and only one of two racing exchanges gets it.</summary>
    public async Task<ApiToken?> RedeemCodeAsync(string? code, CancellationToken cancellationToken)
    {
        var found = await store.FindAsync(code, ApiTokenKind.Code, cancellationToken);
        return found is not null && await store.ConsumeAsync(found, cancellationToken) ? found : null;
    }

    /// <summary>32 hex characters, as JupyterHub's own tokens are.</summary>
    private (string Token, ApiToken Entity) New(ApiTokenKind kind, Guid? environmentId, long userId, IReadOnlyList<string> scopes, string? sessionId)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        return (token, new ApiToken
        {
            Kind = kind, Hash = Secrets.Hash(token), Prefix = token[..4], UserId = userId, EnvironmentId = environmentId, Scopes = scopes.ToList(),
            SessionId = sessionId, CreatedAt = time.GetUtcNow(),
        });
    }
}
