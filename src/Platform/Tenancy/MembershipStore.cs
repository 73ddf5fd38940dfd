using DevPlatform.Audit;
using DevPlatform.Persistence;
using DevPlatform.Resources;
using DevPlatform.Validation;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Tenancy;

/// <summary>Adds, changes and removes a user's membership of a group.</summary>
internal sealed class MembershipStore(PlatformDbContext db, AuditLog audit, TimeProvider time)
{
    public async Task<(Membership Membership, WriteOutcome Outcome)> PutAsync(
        string groupName, string userName, MembershipSpec spec, string actor, CancellationToken cancellationToken)
    {
        // The group and the user alone: not their other memberships (a default group holds every user).
        var group = await db.Groups.FirstOrDefaultAsync(g => g.Name == groupName, cancellationToken) ?? throw new ResourceNotFoundException("group", groupName);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Name == userName, cancellationToken) ?? throw new ResourceNotFoundException("user", userName);
        var existing = await db.Memberships.FirstOrDefaultAsync(m => m.GroupId == group.Id && m.UserId == user.Id, cancellationToken);
        var name = $"{groupName}/{userName}";
        if (existing is null)
        {
            existing = new Membership { Group = group, User = user, Role = spec.Role, CreatedAt = time.GetUtcNow() };
            db.Memberships.Add(existing);
            audit.Record(actor, "create", "membership", name, null, spec);
            await db.SaveChangesAsync(cancellationToken);
            return (existing, WriteOutcome.Created);
        }

        if (existing.Role == spec.Role)
        {
            return (existing, WriteOutcome.Unchanged);
        }

        audit.Record(actor, "update", "membership", name, new MembershipSpec(existing.Role), spec);
        existing.Role = spec.Role;
        await db.SaveChangesAsync(cancellationToken);
        return (existing, WriteOutcome.Updated);
    }

    /// <summary>
    /// Makes the user a member of the group when the group exists — one named by configuration or by a sign-in provider may
    /// not, yet — and leaves an existing membership (and its role) as it is.
    /// </summary>
    /// <returns>Whether the user is a member now.</returns>
    public async Task<bool> JoinIfGroupExistsAsync(string groupName, string userName, string actor, CancellationToken cancellationToken)
    {
        if (!await db.Groups.AnyAsync(g => g.Name == groupName, cancellationToken))
        {
            return false;
        }

        if (!await db.Memberships.AnyAsync(m => m.Group.Name == groupName && m.User.Name == userName, cancellationToken))
        {
            await PutAsync(groupName, userName, new MembershipSpec(), actor, cancellationToken);
        }

        return true;
    }

    public async Task DeleteAsync(string groupName, string userName, string actor, CancellationToken cancellationToken)
    {
        var membership = await db.Memberships.Include(m => m.Group).Include(m => m.User)
            .FirstOrDefaultAsync(m => m.Group.Name == groupName && m.User.Name == userName, cancellationToken)
            ?? throw new ResourceNotFoundException("membership", $"{groupName}/{userName}");
        audit.Record(actor, "delete", "membership", $"{groupName}/{userName}", new MembershipSpec(membership.Role), null);
        db.Memberships.Remove(membership);
        await db.SaveChangesAsync(cancellationToken);
    }
}
