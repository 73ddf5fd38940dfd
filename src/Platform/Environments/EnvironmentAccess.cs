using DevPlatform.Persistence;
using DevPlatform.Validation;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Environments;

internal static class EnvironmentAccess
{
    public static async Task<UserEnvironment> FindAsync(PlatformDbContext db, string user, string name, CancellationToken cancellationToken) =>
        await db.Environments.Include(e => e.User).AsNoTracking().FirstOrDefaultAsync(e => e.User.Name == user && e.Name == name, cancellationToken)
        ?? throw new ResourceNotFoundException("environment", $"{user}/{name}");
}
