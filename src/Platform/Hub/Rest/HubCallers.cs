using System.Security.Cryptography;
using System.Text;
using DevPlatform.Api;
using DevPlatform.Audit;
using DevPlatform.Identity;
using DevPlatform.Persistence;
using DevPlatform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DevPlatform.Hub.Rest;

/// <summary>
/// Finds the caller of a <c>/hub/api</c> request from <c>Authorization: token|bearer …</c> or <c>?token=</c>, as
/// JupyterHub does: a token that is unknown, expired or revoked, or whose owner is disabled, leaves the caller
/// with no scopes (so the endpoint answers 403), never a 401. Once per request.
/// </summary>
internal sealed class HubCallers(PlatformDbContext db, ApiTokenService tokens, AccessAudit audit, IOptions<PlatformOptions> platform)
{
    private static readonly ApiTokenKind[] HubKinds = [ApiTokenKind.Hub, ApiTokenKind.Server, ApiTokenKind.OAuth];
    private static readonly object ItemKey = new();
    private static readonly HubScopeSet AdminServiceScopes = HubScopeSet.Of(HubScopes.Expand(HubScopes.AdminRole, null));

    public async Task<HubCaller> ResolveAsync(HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.TryGetValue(ItemKey, out var known) && known is HubCaller caller)
        {
            return caller;
        }

        caller = await FindAsync(context, cancellationToken);
        context.Items[ItemKey] = caller;
        return caller;
    }

    private async Task<HubCaller> FindAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var presented = AuthorizationHeader.Credential(context.Request) ?? context.Request.Query["token"].FirstOrDefault();
        if (string.IsNullOrEmpty(presented))
        {
            return HubCaller.Anonymous;
        }

        if (platform.Value.AdminToken is { Length: > 0 } adminToken && SameSecret(presented, adminToken))
        {
            return new HubCaller(platform.Value.AdminName, "service", AdminServiceScopes);
        }

        if (presented.StartsWith(ApiTokenService.Prefix, StringComparison.Ordinal))
        {
            return await PersonalAsync(presented, context, cancellationToken);
        }

        var token = await tokens.FindAsync(presented, HubKinds, cancellationToken);
        var owner = token is null ? null : await OwnerAsync(token.UserId, cancellationToken);
        if (token is null || owner is null)
        {
            await audit.RecordThrottledAsync("anonymous", "token-refused", "hub-token", presented[..Math.Min(4, presented.Length)], context);
            return HubCaller.Anonymous;
        }

        return new HubCaller(owner.Name, "user", ScopesOf(token, owner), token);
    }

    /// <summary>A token's scopes within its owner's (JupyterHub's <c>get_scopes_for(token)</c>); <c>inherit</c> is all of the owner's.</summary>
    public static HubScopeSet ScopesOf(ApiToken token, User owner)
    {
        ArgumentNullException.ThrowIfNull(token);
        var ownerScopes = HubRoles.ScopesOf(owner);
        if (token.Scopes.Contains(HubScopes.Inherit))
        {
            return ownerScopes;
        }

        var groups = owner.Memberships.Select(m => m.Group.Name).ToList();
        return HubScopeSet.Of(HubScopes.Expand(token.Scopes, owner.Name)).Intersect(ownerScopes, user => user == owner.Name ? groups : []);
    }

    private async Task<HubCaller> PersonalAsync(string presented, HttpContext context, CancellationToken cancellationToken)
    {
        var resolved = await tokens.ResolveAsync(presented, cancellationToken);
        var owner = resolved is null ? null : await OwnerAsync(resolved.Value.User.Id, cancellationToken);
        if (resolved is not { } found || owner is null)
        {
            await audit.RecordThrottledAsync("anonymous", "token-refused", "api-token", presented[..Math.Min(8, presented.Length)], context);
            return HubCaller.Anonymous;
        }

        if (found.Recorded)
        {
            await audit.RecordAsync(owner.Name, "token-use", "api-token", $"{owner.Name}/{found.Name}", context);
        }

        return new HubCaller(owner.Name, "user", HubRoles.ForPersonalToken(owner, found.Scopes), found.Token);
    }

    private Task<User?> OwnerAsync(long id, CancellationToken cancellationToken) =>
        db.Users.AsNoTracking().Include(u => u.Memberships).ThenInclude(m => m.Group).FirstOrDefaultAsync(u => u.Id == id && !u.Disabled, cancellationToken);

    private static bool SameSecret(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
