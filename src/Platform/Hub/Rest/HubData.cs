using DevPlatform.Persistence;
using DevPlatform.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Hub.Rest;

/// <summary>The user a JupyterHub call is about, with their groups (for scope filters), read without tracking.</summary>
internal static class HubData
{
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
        db.Users.AsNoTracking().Include(u => u.Memberships).ThenInclude(m => m.Group).FirstOrDefaultAsync(u => u.Name == name, cancellationToken);

    /// <summary>The target of a user-scoped check: the user and their groups (none when the user does not exist).</summary>
    public static HubTarget Target(string name, User? user, string? server = null) =>
        new(name, server, Groups: user?.Memberships.Select(m => m.Group.Name).ToList());
}
