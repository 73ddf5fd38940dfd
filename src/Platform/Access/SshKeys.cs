using DevPlatform.Audit;
using DevPlatform.Persistence;
using DevPlatform.Validation;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Access;

/// <summary>Adds and removes a user's SSH keys (checked, audited), then brings their SFTP account in step.</summary>
internal sealed class SshKeys(PlatformDbContext db, AuditLog audit, SftpAccounts sftp, TimeProvider time)
{
    public async Task<SshKey> AddAsync(string user, SshKeysApi.SshKeySpec spec, string actor, CancellationToken ct)
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
        audit.Record(actor, "create", "ssh-key", $"{user}/{spec.Name}", null, new { key.Fingerprint, key.Type, key.Bits });
        await db.SaveChangesAsync(ct);
        await sftp.SyncUserAsync(user, ct);
        return entity;
    }

    public async Task RemoveAsync(string user, string name, string actor, CancellationToken ct)
    {
        var key = await db.SshKeys.Include(k => k.User).FirstOrDefaultAsync(k => k.User.Name == user && k.Name == name, ct)
            ?? throw new ResourceNotFoundException("ssh key", $"{user}/{name}");
        db.SshKeys.Remove(key);
        audit.Record(actor, "delete", "ssh-key", $"{user}/{name}", new { key.Fingerprint }, null);
        await db.SaveChangesAsync(ct);
        await sftp.SyncUserAsync(user, ct);
    }
}
