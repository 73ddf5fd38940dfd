using DevPlatform.Api;
using DevPlatform.Persistence;
using DevPlatform.Validation;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Environments;

internal static class EnvironmentAccess
{
    /// <summary>Users manage their own environments; admins anyone's.</summary>
    public static void EnsureOwnerOrAdmin(HttpContext context, string user)
    {
        if (context.User.Identity?.Name != user && !context.User.IsInRole(TokenAuthenticationHandler.AdminRole))
        {
            throw new ApiProblemException(403, "Not your environments.", $"{context.User.Identity?.Name} may not see or change the environments of {user}.");
        }
    }

    public static async Task<UserEnvironment> FindAsync(PlatformDbContext db, string user, string name, CancellationToken cancellationToken) =>
        await db.Environments.Include(e => e.User).AsNoTracking().FirstOrDefaultAsync(e => e.User.Name == user && e.Name == name, cancellationToken)
        ?? throw new ResourceNotFoundException("environment", $"{user}/{name}");
}
