using DevPlatform.Persistence;
using DevPlatform.Tenancy;
using DevPlatform.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DevPlatform.Identity;

internal static class MeApi
{
    /// <summary>Who is signed in: the console's first call.</summary>
    public sealed record Me(
        string Name, string? DisplayName, string? Email, bool Admin, IReadOnlyList<MyGroup> Groups, IReadOnlyList<string> LinkedProviders,
        string? SignedInWith, bool DevLoginOn);

    public sealed record MyGroup(string Name, MembershipRole Role);

    public static RouteGroupBuilder MapMeApi(this RouteGroupBuilder api)
    {
        api.MapGet("/me", async (HttpContext http, PlatformDbContext db, IOptions<DevLoginOptions> options, CancellationToken ct) =>
        {
            var name = http.User.Identity!.Name!;
            var me = await db.Users.Where(u => u.Name == name).Select(u => new Me(
                    u.Name, u.DisplayName, u.Email, u.Admin,
                    u.Memberships.OrderBy(m => m.Group.Name).Select(m => new MyGroup(m.Group.Name, m.Role)).ToList(),
                    db.UserIdentities.Where(i => i.UserId == u.Id).OrderBy(i => i.Provider).Select(i => i.Provider).ToList(),
                    null, false))
                .FirstOrDefaultAsync(ct) ?? throw new ResourceNotFoundException("user", name); // the operator's admin token is not a user
            return me with { SignedInWith = http.User.FindFirst(SessionDefaults.ProviderClaim)?.Value, DevLoginOn = options.Value.DevLoginEnabled };
        }).WithName("GetMe").WithTags("Sessions").WithSummary("The signed-in user: groups with roles, linked sign-in providers, how this session signed in.");
        return api;
    }
}
