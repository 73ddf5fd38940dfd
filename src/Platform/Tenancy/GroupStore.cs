using DevPlatform.Audit;
using DevPlatform.Persistence;
using DevPlatform.Resources;
using DevPlatform.Validation;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Tenancy;

internal sealed class GroupStore(PlatformDbContext db, AuditLog audit, TimeProvider time) : NamedResourceStore<Group, GroupSpec>(db, audit, time)
{
    public override string ResourceType => "group";

    protected override IQueryable<Group> Query => Db.Groups.Include(g => g.Memberships);

    protected override Task ValidateAsync(GroupSpec spec, ValidationErrors errors, CancellationToken cancellationToken)
    {
        errors.CheckText("displayName", spec.DisplayName, 200);
        errors.CheckText("description", spec.Description, 2000);
        return Task.CompletedTask;
    }

    protected override Group NewEntity(GroupSpec spec) => new() { Name = spec.Name };

    protected override Task ApplyAsync(Group entity, GroupSpec spec, CancellationToken cancellationToken)
    {
        entity.DisplayName = spec.DisplayName;
        entity.Description = spec.Description;
        return Task.CompletedTask;
    }

    public override GroupSpec ToSpec(Group entity) => new(entity.Name, entity.DisplayName, entity.Description);
}
