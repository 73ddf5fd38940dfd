using DevPlatform.Environments;
using DevPlatform.Persistence;
using DevPlatform.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Hub.Rest;

/// <summary>What the JupyterHub models are built from: users with their groups, and their environments, read without tracking.</summary>
internal static class HubData
{
    public static IQueryable<User> Users(PlatformDbContext db) =>
        db.Users.AsNoTracking().Include(u => u.Memberships).ThenInclude(m => m.Group).AsSplitQuery();

    /// <summary>
    /// The caller, and the user named once one of the scopes reaches them — JupyterHub's order: refused (403) or hidden
    /// (404) by scope first, then 404 <paramref name="notFound"/> for a user who does not exist.
    /// </summary>
    public static async Task<(HubCaller Caller, User User)> RequireUserAsync(
        HttpContext http, HubCallers callers, PlatformDbContext db, string name, string? server, string notFound, params string[] scopes)
    {
        ArgumentNullException.ThrowIfNull(callers);
        var caller = await callers.ResolveAsync(http, http.RequestAborted);
        var user = await UserAsync(db, name, http.RequestAborted);
        caller.Require(Target(name, user, server), scopes);
        return (caller, user ?? throw new HubApiException(404, notFound));
    }

    public static Task<User?> UserAsync(PlatformDbContext db, string name, CancellationToken cancellationToken) =>
        Users(db).FirstOrDefaultAsync(u => u.Name == name, cancellationToken);

    /// <summary>The target of a user-scoped check: the user and their groups (none when the user does not exist).</summary>
    public static HubTarget Target(string name, User? user, string? server = null) =>
        new(name, server, Groups: user?.Memberships.Select(m => m.Group.Name).ToList());

    public static async Task<Dictionary<long, List<UserEnvironment>>> EnvironmentsAsync(PlatformDbContext db, IReadOnlyCollection<long> userIds, CancellationToken cancellationToken) =>
        (await db.Environments.AsNoTracking().Where(e => userIds.Contains(e.UserId)).OrderBy(e => e.CreatedAt).ToListAsync(cancellationToken))
            .GroupBy(e => e.UserId).ToDictionary(g => g.Key, g => g.ToList());

    public static async Task<List<UserEnvironment>> EnvironmentsAsync(PlatformDbContext db, long userId, CancellationToken cancellationToken) =>
        (await EnvironmentsAsync(db, [userId], cancellationToken)).GetValueOrDefault(userId) ?? [];
}

/// <summary>A user as the JupyterHub models need it: the user, the names of their groups, their environments.</summary>
internal sealed record HubUserView(User User, List<string> Groups, List<UserEnvironment> Environments);
