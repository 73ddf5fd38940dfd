using DevPlatform.Api;
using DevPlatform.Persistence;

namespace DevPlatform.Audit;

/// <summary>Adds an audit event to the unit of work, so it commits (or not) with the change it records.</summary>
internal sealed class AuditLog(PlatformDbContext db, TimeProvider time)
{
    public void Record(string actor, string action, string resourceType, string resourceName, object? before, object? after)
    {
        db.AuditEvents.Add(new AuditEvent
        {
            At = time.GetUtcNow(),
            Actor = actor,
            Action = action,
            ResourceType = resourceType,
            ResourceName = resourceName,
            Before = before is null ? null : PlatformJson.Serialize(before),
            After = after is null ? null : PlatformJson.Serialize(after),
        });
    }
}
