using System.Security.Claims;
using System.Security.Cryptography;
using DevPlatform.Api;
using DevPlatform.Resources;
using DevPlatform.Tenancy;
using DevPlatform.Validation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace DevPlatform.Identity;

/// <summary>Turns a verified username into a session: provisions the user on first sign-in, refuses disabled ones.</summary>
internal sealed class SignInService(UserStore users, GroupStore groups, MembershipStore memberships, IOptions<DevLoginOptions> options)
{
    public async Task<User> SignInAsync(HttpContext context, string username, string provider, CancellationToken cancellationToken)
    {
        User user;
        try
        {
            user = await users.GetAsync(username, cancellationToken);
        }
        catch (ResourceNotFoundException)
        {
            (user, _) = await users.WriteAsync(WriteMode.Create, null, new UserSpec(username), $"{provider}-login:{username}", cancellationToken);
            await JoinDefaultGroupAsync(username, provider, cancellationToken);
        }

        if (user.Disabled)
        {
            throw new ApiProblemException(StatusCodes.Status403Forbidden, "Account disabled.", $"The account '{username}' is disabled; ask an administrator.");
        }

        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, user.Name),
            new Claim(SessionDefaults.SessionIdClaim, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))),
            new Claim("provider", provider),
            .. user.Admin ? [new Claim(ClaimTypes.Role, TokenAuthenticationHandler.AdminRole)] : Array.Empty<Claim>(),
        ], SessionDefaults.Scheme);
        await context.SignInAsync(SessionDefaults.Scheme, new ClaimsPrincipal(identity));
        return user;
    }

    private async Task JoinDefaultGroupAsync(string username, string provider, CancellationToken cancellationToken)
    {
        if (options.Value.DefaultGroup is not { Length: > 0 } group)
        {
            return;
        }

        try
        {
            await groups.GetAsync(group, cancellationToken);
        }
        catch (ResourceNotFoundException)
        {
            return; // the configured default group does not exist (yet): nothing to join
        }

        await memberships.PutAsync(group, username, new MembershipSpec(), $"{provider}-login:{username}", cancellationToken);
    }
}
