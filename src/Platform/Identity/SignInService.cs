using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using DevPlatform.Abstractions;
using DevPlatform.Api;
using DevPlatform.Persistence;
using DevPlatform.Resources;
using DevPlatform.Tenancy;
using DevPlatform.Validation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DevPlatform.Identity;

/// <summary>
/// Turns a verified person into a session: provisions the user on first sign-in, links them to their
/// identity-provider account, applies the provider's say on admin and groups, refuses disabled accounts.
/// </summary>
internal sealed class SignInService(
    PlatformDbContext db, UserStore users, MembershipStore memberships, DefaultGroup defaultGroup, IdentityEnvironment environment,
    IOptions<DevLoginOptions> options, TimeProvider time)
{
    /// <summary>The dev login: the username is taken as given.</summary>
    public async Task<User> SignInAsync(HttpContext context, string username, string provider, CancellationToken cancellationToken)
    {
        var user = await FindOrCreateAsync(username, provider, cancellationToken);
        if (provider == DevLoginOptions.DevProvider && !user.Admin && !user.Disabled && options.Value.DevAdmins.Contains(username, StringComparer.Ordinal))
        {
            (user, _) = await users.WriteAsync(WriteMode.Upsert, null, users.ToSpec(user) with { Admin = true }, $"{provider}-login:{username}", cancellationToken);
        }

        await StartSessionAsync(context, user, provider);
        return user;
    }

    /// <summary>A person an identity provider vouched for.</summary>
    public async Task<User> SignInAsync(HttpContext context, string provider, ExternalIdentity identity, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.CheckName("username", identity.Username);
        if (errors.Any)
        {
            throw new AuthRefusedException($"The identity provider gave the username '{identity.Username}', which is not a valid platform username (lower-case letters, digits and '-').");
        }

        var link = await db.UserIdentities.FirstOrDefaultAsync(i => i.Provider == provider && i.Subject == identity.Subject, cancellationToken);
        var user = link is null
            ? await FindOrCreateAsync(identity.Username, provider, cancellationToken)
            : await db.Users.FirstAsync(u => u.Id == link.UserId, cancellationToken);
        if (link is null)
        {
            if (await db.UserIdentities.AnyAsync(i => i.UserId == user.Id && i.Provider == provider, cancellationToken))
            {
                throw new AuthRefusedException($"The username '{user.Name}' belongs to a different {provider} account; ask an administrator.");
            }

            link = new UserIdentity { UserId = user.Id, Provider = provider, Subject = identity.Subject, CreatedAt = time.GetUtcNow() };
            db.UserIdentities.Add(link);
        }

        link.LastLoginAt = time.GetUtcNow();
        link.ProtectedEnvironment = environment.Protect(identity.Environment);
        await db.SaveChangesAsync(cancellationToken);

        var actor = $"{provider}-login:{user.Name}";
        if (!user.Disabled && ((identity.Admin is { } admin && admin != user.Admin) || (user.Email is null && identity.Email is not null)))
        {
            var spec = users.ToSpec(user) with { Admin = identity.Admin ?? user.Admin, Email = user.Email ?? identity.Email };
            (user, _) = await users.WriteAsync(WriteMode.Upsert, null, spec, actor, cancellationToken);
        }

        await SyncGroupsAsync(user, identity, actor, cancellationToken);
        await StartSessionAsync(context, user, provider);
        return user;
    }

    private async Task<User> FindOrCreateAsync(string username, string provider, CancellationToken cancellationToken)
    {
        if (await db.Users.FirstOrDefaultAsync(u => u.Name == username, cancellationToken) is { } existing)
        {
            return existing;
        }

        var (user, _) = await users.WriteAsync(WriteMode.Create, null, new UserSpec(username), $"{provider}-login:{username}", cancellationToken);
        await defaultGroup.JoinAsync(username, $"{provider}-login:{username}", cancellationToken);
        return user;
    }

    /// <summary>Joins the groups the provider says; leaves the provider-managed groups it no longer says. Other memberships are untouched.</summary>
    private async Task SyncGroupsAsync(User user, ExternalIdentity identity, string actor, CancellationToken cancellationToken)
    {
        var current = await db.Memberships.Where(m => m.UserId == user.Id).Select(m => m.Group.Name).ToListAsync(cancellationToken);
        foreach (var group in identity.Groups.Except(current, StringComparer.Ordinal))
        {
            await memberships.JoinIfGroupExistsAsync(group, user.Name, actor, cancellationToken);
        }

        foreach (var group in identity.ManagedGroups.Intersect(current, StringComparer.Ordinal).Except(identity.Groups, StringComparer.Ordinal))
        {
            await memberships.DeleteAsync(group, user.Name, actor, cancellationToken);
        }
    }

    private async Task StartSessionAsync(HttpContext context, User user, string provider)
    {
        if (user.Disabled)
        {
            throw new ApiProblemException(StatusCodes.Status403Forbidden, "Account disabled.", $"The account '{user.Name}' is disabled; ask an administrator.");
        }

        await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.LastSignInAt, time.GetUtcNow()).SetProperty(u => u.DormancyWarnedAt, (DateTimeOffset?)null));

        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, user.Name),
            new Claim(SessionDefaults.SessionIdClaim, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))),
            new Claim(SessionDefaults.IssuedAtClaim, time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
            new Claim(SessionDefaults.ProviderClaim, provider),
            .. user.Admin ? [new Claim(ClaimTypes.Role, TokenAuthenticationHandler.AdminRole)] : Array.Empty<Claim>(),
        ], SessionDefaults.Scheme);
        await context.SignInAsync(SessionDefaults.Scheme, new ClaimsPrincipal(identity));
    }
}
