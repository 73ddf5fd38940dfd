using DevPlatform.Api;
using DevPlatform.Persistence;

namespace DevPlatform.Audit;

internal static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", ListAsync).WithName("ListAuditEvents").WithTags("Audit")
            .WithSummary("Changes, newest first; filter by resourceType, resourceName, actor, action, sourceAddress, since, until. Sign-ins and token use carry the client address.");
        return api;
    }

    internal static Task<Page<AuditRecord>> ListAsync(
        PlatformDbContext db, string? resourceType, string? resourceName, string? actor, string? action, string? sourceAddress,
        DateTimeOffset? since, DateTimeOffset? until, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var query = db.AuditEvents.AsQueryable();
        query = resourceType is null ? query : query.Where(e => e.ResourceType == resourceType);
        query = resourceName is null ? query : query.Where(e => e.ResourceName == resourceName);
        query = actor is null ? query : query.Where(e => e.Actor == actor);
        query = action is null ? query : query.Where(e => e.Action == action);
        query = sourceAddress is null ? query : query.Where(e => e.SourceAddress == sourceAddress);
        query = since is null ? query : query.Where(e => e.At >= since);
        query = until is null ? query : query.Where(e => e.At < until);
        var kept = resourceName is null && actor is null && action is null && sourceAddress is null && since is null && until is null
            ? KeptCounts.AuditEvents(db, resourceType) : null;
        return new PageRequest(offset, limit).ApplyAsync(query.OrderByDescending(e => e.Id), kept, AuditRecord.From, cancellationToken);
    }
}
