using DevPlatform.Api;
using DevPlatform.Audit;
using DevPlatform.Persistence;
using DevPlatform.Validation;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Access;

/// <summary>A user's SSH public keys (for SFTP to the home): add by name, list with fingerprints, remove.</summary>
internal static class SshKeysApi
{
    public sealed record SshKeySpec(string? Name, string? PublicKey);

    public sealed record SshKeyView(string Name, string Type, int Bits, string Fingerprint, string? Comment, string Display, DateTimeOffset CreatedAt)
    {
        public static SshKeyView From(SshKey k)
        {
            var key = new SshPublicKey(k.Type, k.Blob, k.Comment, k.Bits, k.Fingerprint);
            return new SshKeyView(k.Name, k.Type, k.Bits, k.Fingerprint, k.Comment, key.Display, k.CreatedAt);
        }
    }

    public static RouteGroupBuilder MapSshKeysApi(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/users/{user}/ssh-keys").WithTags("SSH keys").RequireAuthorization(Identity.OwnerOrAdminRequirement.Policy);
        keys.MapGet("/", async (string user, PlatformDbContext db, CancellationToken ct) =>
                (await db.SshKeys.AsNoTracking().Where(k => k.User.Name == user).OrderBy(k => k.Name).ToListAsync(ct)).Select(SshKeyView.From).ToList())
            .WithName("ListSshKeys").WithSummary("The user's SSH public keys with their SHA256 fingerprints, as ssh-keygen -l shows them.");
        keys.MapPost("/", AddAsync).WithName("AddSshKey").WithSummary("Adds a public key (ssh-ed25519, ecdsa-sha2-nistp256/384/521, or ssh-rsa of 3072 bits or more) under a name.");
        keys.MapDelete("/{name}", async (string user, string name, PlatformDbContext db, AuditLog audit, SftpAccounts sftp, HttpContext http, CancellationToken ct) =>
        {
            var key = await db.SshKeys.Include(k => k.User).FirstOrDefaultAsync(k => k.User.Name == user && k.Name == name, ct)
                ?? throw new ResourceNotFoundException("ssh key", $"{user}/{name}");
            db.SshKeys.Remove(key);
            audit.Record(Actor.Of(http.User), "delete", "ssh-key", $"{user}/{name}", new { key.Fingerprint }, null);
            await db.SaveChangesAsync(ct);
            await sftp.SyncUserAsync(user, ct);
            return Results.NoContent();
        }).WithName("DeleteSshKey");
        return api;
    }

    private static async Task<IResult> AddAsync(string user, SshKeySpec spec, PlatformDbContext db, AuditLog audit, SftpAccounts sftp, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var owner = await db.Users.FirstOrDefaultAsync(u => u.Name == user, ct) ?? throw new ResourceNotFoundException("user", user);
        var errors = new ValidationErrors();
        errors.CheckName("name", spec.Name);
        var (key, problem) = SshPublicKey.Parse(spec.PublicKey);
        if (problem is not null)
        {
            errors.Add("publicKey", problem);
        }

        errors.ThrowIfAny();
        if (await db.SshKeys.AnyAsync(k => k.UserId == owner.Id && k.Name == spec.Name, ct))
        {
            throw new ResourceConflictException($"{user} already has an SSH key named '{spec.Name}'; remove it first or choose another name.");
        }

        if (await db.SshKeys.AnyAsync(k => k.Fingerprint == key!.Fingerprint, ct))
        {
            throw new ResourceConflictException($"The key {key!.Fingerprint} is already registered; one key belongs to one account.");
        }

        var entity = new SshKey
        {
            UserId = owner.Id, Name = spec.Name!, Type = key!.Type, Blob = key.Blob, Comment = key.Comment, Bits = key.Bits, Fingerprint = key.Fingerprint,
            CreatedAt = time.GetUtcNow(),
        };
        db.SshKeys.Add(entity);
        audit.Record(Actor.Of(http.User), "create", "ssh-key", $"{user}/{spec.Name}", null, new { key.Fingerprint, key.Type, key.Bits });
        await db.SaveChangesAsync(ct);
        await sftp.SyncUserAsync(user, ct);
        return Results.Created($"/api/users/{user}/ssh-keys/{entity.Name}", SshKeyView.From(entity));
    }
}
