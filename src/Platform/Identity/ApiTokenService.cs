using System.Linq.Expressions;
using DevPlatform.Audit;
using DevPlatform.Persistence;
using DevPlatform.Tenancy;
using DevPlatform.Validation;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Identity;

/// <summary>
/// The token store: creates, revokes and resolves personal API tokens (<c>dvp_…</c>), and finds the hub
/// protocol's tokens, which <see cref="Hub.HubTokenService"/> issues into the same table.
/// </summary>
internal sealed class ApiTokenService(PlatformDbContext db, AuditLog audit, TimeProvider time)
{
    public const string Prefix = "dvp_";
    private const int MaxSecretLength = 200;
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>Tokens a list shows: personal ones and those derived from a token (which always expire).</summary>
    private static readonly Expression<Func<ApiToken, bool>> Shown =
        t => t.Kind == ApiTokenKind.Personal || (t.Kind == ApiTokenKind.Hub && t.ParentId != null && t.ExpiresAt != null);

    public async Task<CreatedApiToken> CreateAsync(User owner, ApiTokenSpec spec, string actor, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.CheckName("name", spec.Name);
        if (spec.Scopes.Count == 0 || spec.Scopes.Any(s => !ApiTokenScopes.All.Contains(s)))
        {
            errors.Add("scopes", $"must list one or more of: {string.Join(", ", ApiTokenScopes.All)}.");
        }

        if (spec.ExpiresInDays is < 1 or > 365)
        {
            errors.Add("expiresInDays", $"must be between 1 and 365; got {spec.ExpiresInDays}.");
        }

        errors.ThrowIfAny();
        if (spec.Scopes.Contains(ApiTokenScopes.Admin) && !owner.Admin)
        {
            throw new ApiProblemException(403, "Admin scope not allowed.", $"'{owner.Name}' is not an admin, so their tokens cannot have the 'admin' scope.");
        }

        if (await db.ApiTokens.AnyAsync(t => t.UserId == owner.Id && t.Kind == ApiTokenKind.Personal && t.Name == spec.Name, cancellationToken))
        {
            throw new ResourceConflictException($"'{owner.Name}' already has a token named '{spec.Name}'; revoke it or choose another name.");
        }

        var secret = Prefix + Secrets.NewUrlSafe();
        var now = time.GetUtcNow();
        var token = new ApiToken
        {
            Kind = ApiTokenKind.Personal, UserId = owner.Id, Name = spec.Name, Hash = Secrets.Hash(secret), Prefix = secret[..10], Scopes = spec.Scopes.Distinct().ToList(),
            CreatedAt = now, ExpiresAt = now.AddDays(spec.ExpiresInDays),
        };
        db.ApiTokens.Add(token);
        audit.Record(actor, "create", "api-token", $"{owner.Name}/{spec.Name}", null, ApiTokenView.From(token));
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedApiToken(secret, ApiTokenView.From(token));
    }

    /// <summary>What a user's token list shows: personal tokens and tokens derived from a token (which always expire).</summary>
    public static IQueryable<ApiToken> Listed(PlatformDbContext db, long userId) => db.ApiTokens.Where(t => t.UserId == userId).Where(Shown);

    /// <summary>The same list found by the user's name, so a page needs no lookup of the user first.</summary>
    public static IQueryable<ApiToken> Listed(PlatformDbContext db, string userName) =>
        db.ApiTokens.Where(t => db.Users.Any(u => u.Id == t.UserId && u.Name == userName)).Where(Shown);

    /// <summary>Revokes a personal token by name, or a derived one by its listed name (<c>a{id}</c>); tokens derived from it go with it.</summary>
    public async Task RevokeAsync(User owner, string name, string actor, CancellationToken cancellationToken)
    {
        var derivedId = name.StartsWith('a') && long.TryParse(name.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : (long?)null;
        var token = await Listed(db, owner.Id).Where(t => t.Kind == ApiTokenKind.Personal && t.Name == name).FirstOrDefaultAsync(cancellationToken)
            ?? await Listed(db, owner.Id).Where(t => t.Kind == ApiTokenKind.Hub && t.Id == derivedId).FirstOrDefaultAsync(cancellationToken)
            ?? throw new ResourceNotFoundException("api token", $"{owner.Name}/{name}");
        audit.Record(actor, "delete", "api-token", $"{owner.Name}/{name}", ApiTokenView.From(token), null);
        db.ApiTokens.Remove(token);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// A JupyterHub-style token (<c>POST /hub/api/users/{name}/tokens</c>): 32 hex characters as JupyterHub's, its raw
    /// JupyterHub scopes (already checked against the owner's), a note and an optional expiry.
    /// </summary>
    /// <param name="parent">The token the caller presented when it was a token (the new one dies with it), or null.</param>
    public async Task<(string Secret, ApiToken Token)> CreateHubAsync(User owner, string note, IReadOnlyList<string> scopes, DateTimeOffset? expiresAt, string actor, CancellationToken cancellationToken, ApiToken? parent = null)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var secret = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var token = new ApiToken
        {
            Kind = ApiTokenKind.Hub, UserId = owner.Id, Note = note, Hash = Secrets.Hash(secret), Prefix = secret[..4], Scopes = scopes.Distinct().ToList(),
            CreatedAt = time.GetUtcNow(), ExpiresAt = expiresAt, ParentId = parent?.Id,
        };
        db.ApiTokens.Add(token);
        audit.Record(actor, "create", "hub-token", $"{owner.Name}/{note}", null, new { token.Note, token.Scopes, token.ExpiresAt, parent = parent?.Prefix });
        await db.SaveChangesAsync(cancellationToken);
        return (secret, token);
    }

    /// <summary>
    /// Revokes one of the owner's tokens by id, whatever its kind; an OAuth token takes the others issued to the
    /// same client with it (as JupyterHub's token API does). False when the owner has no such token.
    /// </summary>
    public async Task<bool> RevokeByIdAsync(User owner, long id, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == id && t.UserId == owner.Id && t.Kind != ApiTokenKind.Code, cancellationToken);
        if (token is null)
        {
            return false;
        }

        var revoked = token.Kind == ApiTokenKind.OAuth
            ? await db.ApiTokens.Where(t => t.UserId == owner.Id && t.Kind == ApiTokenKind.OAuth && t.EnvironmentId == token.EnvironmentId && t.ServiceId == token.ServiceId).ToListAsync(cancellationToken)
            : [token];
        audit.Record(actor, "delete", token.Kind == ApiTokenKind.Personal ? "api-token" : "hub-token", $"{owner.Name}/{token.Name ?? token.Note ?? $"a{token.Id}"}", new { token.Kind, token.Scopes }, null);
        db.ApiTokens.RemoveRange(revoked);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// The live personal token's owner, name and scopes, or null. <c>Recorded</c> says this call recorded the
    /// token's last use (at most once a minute per token), so it should be audited.
    /// </summary>
    public async Task<(User User, string Name, IReadOnlyList<string> Scopes, bool Recorded, ApiToken Token)?> ResolveAsync(string secret, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var found = await Live(secret, [ApiTokenKind.Personal], now)
            .Join(db.Users, t => t.UserId, u => u.Id, (t, u) => new { Token = t, User = u }).FirstOrDefaultAsync(cancellationToken);
        if (found is null || found.User.Disabled)
        {
            return null;
        }

        var recorded = await RecordUseAsync(found.Token, now, cancellationToken);
        return (found.User, found.Token.Name!, found.Token.Scopes, recorded, found.Token);
    }

    /// <summary>The live token of that kind (untracked), or null: unknown, expired, of another kind, or not a plausible secret.</summary>
    public Task<ApiToken?> FindAsync(string? secret, ApiTokenKind kind, CancellationToken cancellationToken) => FindAsync(secret, [kind], cancellationToken);

    /// <summary>The live token of any of those kinds (untracked), or null.</summary>
    public async Task<ApiToken?> FindAsync(string? secret, IReadOnlyCollection<ApiTokenKind> kinds, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length > MaxSecretLength)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var found = await Live(secret, kinds, now).FirstOrDefaultAsync(cancellationToken);
        if (found is not null && found.Kind != ApiTokenKind.Code)
        {
            await RecordUseAsync(found, now, cancellationToken);
        }

        return found;
    }

    /// <summary>Deletes the token unless someone else already did; true for exactly one caller (single use).</summary>
    public async Task<bool> ConsumeAsync(ApiToken token, CancellationToken cancellationToken) =>
        await db.ApiTokens.Where(t => t.Id == token.Id).ExecuteDeleteAsync(cancellationToken) == 1;

    private IQueryable<ApiToken> Live(string secret, IReadOnlyCollection<ApiTokenKind> kinds, DateTimeOffset now)
    {
        var hash = Secrets.Hash(secret);
        return db.ApiTokens.AsNoTracking().Where(t => t.Hash == hash && kinds.Contains(t.Kind) && (t.ExpiresAt == null || t.ExpiresAt > now));
    }

    private async Task<bool> RecordUseAsync(ApiToken token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (token.LastUsedAt is not null && now - token.LastUsedAt <= LastUsedResolution)
        {
            return false;
        }

        await db.ApiTokens.Where(t => t.Id == token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), cancellationToken);
        return true;
    }
}
