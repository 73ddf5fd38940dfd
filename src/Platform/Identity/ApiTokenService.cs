using DevPlatform.Audit;
using DevPlatform.Persistence;
using DevPlatform.Tenancy;
using DevPlatform.Validation;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Identity;

/// <summary>Creates, lists, revokes and resolves personal API tokens (<c>dvp_…</c>).</summary>
internal sealed class ApiTokenService(PlatformDbContext db, AuditLog audit, TimeProvider time)
{
    public const string Prefix = "dvp_";
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

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

        if (await db.ApiTokens.AnyAsync(t => t.UserId == owner.Id && t.Name == spec.Name, cancellationToken))
        {
            throw new ResourceConflictException($"'{owner.Name}' already has a token named '{spec.Name}'; revoke it or choose another name.");
        }

        var secret = Prefix + Secrets.NewUrlSafe();
        var now = time.GetUtcNow();
        var token = new ApiToken
        {
            UserId = owner.Id, Name = spec.Name, Hash = Secrets.Hash(secret), Prefix = secret[..10], Scopes = spec.Scopes.Distinct().ToList(),
            CreatedAt = now, ExpiresAt = now.AddDays(spec.ExpiresInDays),
        };
        db.ApiTokens.Add(token);
        audit.Record(actor, "create", "api-token", $"{owner.Name}/{spec.Name}", null, ApiTokenView.From(token));
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedApiToken(secret, ApiTokenView.From(token));
    }

    public async Task RevokeAsync(User owner, string name, string actor, CancellationToken cancellationToken)
    {
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.UserId == owner.Id && t.Name == name, cancellationToken)
            ?? throw new ResourceNotFoundException("api token", $"{owner.Name}/{name}");
        audit.Record(actor, "delete", "api-token", $"{owner.Name}/{name}", ApiTokenView.From(token), null);
        db.ApiTokens.Remove(token);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// The live token's owner, name and scopes, or null. Last use is recorded at most once a minute per token;
    /// <c>Recorded</c> says this call recorded it (and so should be audited).
    /// </summary>
    public async Task<(User User, string Name, IReadOnlyList<string> Scopes, bool Recorded)?> ResolveAsync(string secret, CancellationToken cancellationToken)
    {
        var hash = Secrets.Hash(secret);
        var now = time.GetUtcNow();
        var found = await db.ApiTokens.AsNoTracking().Where(t => t.Hash == hash && t.ExpiresAt > now)
            .Join(db.Users, t => t.UserId, u => u.Id, (t, u) => new { Token = t, User = u }).FirstOrDefaultAsync(cancellationToken);
        if (found is null || found.User.Disabled)
        {
            return null;
        }

        var recorded = found.Token.LastUsedAt is null || now - found.Token.LastUsedAt > LastUsedResolution;
        if (recorded)
        {
            await db.ApiTokens.Where(t => t.Id == found.Token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), cancellationToken);
        }

        return (found.User, found.Token.Name, found.Token.Scopes, recorded);
    }
}
