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
        var (group, user, existing) = await FindAsync(groupName, userName, cancellationToken) ?? throw new ResourceNotFoundException("group", groupName);
        if (existing is null)
        {
            return (await AddAsync(group, user, spec, actor, cancellationToken), WriteOutcome.Created);
        }

        if (existing.Role == spec.Role)
        {
            return (existing, WriteOutcome.Unchanged);
        }

        audit.Record(actor, "update", "membership", $"{groupName}/{userName}", new MembershipSpec(existing.Role), spec);
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
        if (await FindAsync(groupName, userName, cancellationToken) is not var (group, user, existing))
        {
            return false;
        }

        if (existing is null)
        {
            await AddAsync(group, user, new MembershipSpec(), actor, cancellationToken);
        }

        return true;
    }

    /// <summary>The group, the user and their membership if there is one; null when there is no group of that name.</summary>
    private async Task<(Group Group, User User, Membership? Existing)?> FindAsync(string groupName, string userName, CancellationToken cancellationToken)
    {
        // The group and the user alone: not their other memberships (a default group holds every user).
        if (await db.Groups.FirstOrDefaultAsync(g => g.Name == groupName, cancellationToken) is not { } group)
        {
            return null;
        }

        var user = await db.Users.FirstOrDefaultAsync(u => u.Name == userName, cancellationToken) ?? throw new ResourceNotFoundException("user", userName);
        return (group, user, await db.Memberships.FirstOrDefaultAsync(m => m.GroupId == group.Id && m.UserId == user.Id, cancellationToken));
    }

    private async Task<Membership> AddAsync(Group group, User user, MembershipSpec spec, string actor, CancellationToken cancellationToken)
    {
        var membership = new Membership { Group = group, User = user, Role = spec.Role, CreatedAt = time.GetUtcNow() };
        db.Memberships.Add(membership);
        audit.Record(actor, "create", "membership", $"{group.Name}/{user.Name}", null, spec);
        await db.SaveChangesAsync(cancellationToken);
        return membership;
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
