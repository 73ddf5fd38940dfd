using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Services;

/// <summary>Who may use a service: admins, and members of the groups it allows.</summary>
internal static class ServiceAccess
{
    public static async Task<HashSet<string>> GroupsOfAsync(PlatformDbContext db, string user, CancellationToken cancellationToken) =>
        (await db.Memberships.AsNoTracking().Where(m => m.User.Name == user).Select(m => m.Group.Name).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);

}
