using DevPlatform.Api;
using DevPlatform.Audit;
using DevPlatform.Persistence;
using DevPlatform.Validation;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Storage.Backups;

/// <summary>A user's home snapshots: list, take one now, restore one (or one path of it) into <c>~/restored/{backup}/</c>.</summary>
internal static class BackupsApi
{
    public sealed record RestoreRequest(string? Path = null);

    public static RouteGroupBuilder MapBackupsApi(this RouteGroupBuilder api)
    {
        var backups = api.MapGroup("/users/{user}/backups").WithTags("Storage").RequireAuthorization(Identity.OwnerOrAdminRequirement.Policy);
        backups.MapGet("/", async (string user, PlatformDbContext db, HomeBackups homes, CancellationToken ct) =>
        {
            await RequireUserAsync(db, user, ct);
            return await homes.ListAsync(user, ct);
        }).WithName("ListHomeBackups").WithSummary("Snapshots of the user's home, newest first, with size and SHA-256.");
        backups.MapPost("/", async (string user, PlatformDbContext db, HomeBackups homes, AuditLog audit, HttpContext http, CancellationToken ct) =>
        {
            await RequireUserAsync(db, user, ct);
            var backup = await homes.TakeAsync(user, ct);
            audit.Record(Actor.Of(http.User), "backup", "home", user, null, backup);
            await db.SaveChangesAsync(ct);
            return Results.Created($"/api/users/{user}/backups/{backup.Id}", backup);
        }).WithName("TakeHomeBackup").WithSummary("Snapshots the home now (tar.gz with its SHA-256); retention applies.");
        backups.MapPost("/{id}/restore", async (string user, string id, RestoreRequest? request, PlatformDbContext db, HomeBackups homes, AuditLog audit, HttpContext http, CancellationToken ct) =>
        {
            await RequireUserAsync(db, user, ct);
            RestoreResult result;
            try
            {
                result = await homes.RestoreAsync(user, id, request?.Path, ct);
            }
            catch (UnsafePlacementException e)
            {
                audit.Record(Actor.Of(http.User), "restore-refused", "home", user, null, new { backup = id, reason = e.Message });
                await db.SaveChangesAsync(ct);
                throw new ApiProblemException(409, "Restore refused.", $"{e.Message} Remove or rename ~/restored if it is a link, then restore again.");
            }

            audit.Record(Actor.Of(http.User), "restore", "home", user, null, result);
            await db.SaveChangesAsync(ct);
            return result;
        }).WithName("RestoreHomeBackup").WithSummary("Restores the backup (or only body.path) into ~/restored/{id}/ after checking its SHA-256; live files are never overwritten.");
        return api;
    }

    private static async Task RequireUserAsync(PlatformDbContext db, string user, CancellationToken cancellationToken)
    {
        if (!await db.Users.AnyAsync(u => u.Name == user, cancellationToken))
        {
            throw new ResourceNotFoundException("user", user);
        }
    }
}
