using System.Collections.Concurrent;
using DevPlatform.Api;
using DevPlatform.Persistence;

namespace DevPlatform.Audit;

/// <summary>
/// Sign-ins and token use, successful or not, with the client's address. Written at once in a unit of work of
/// its own (a refused sign-in has nothing else to commit). Throttled records (bad tokens) from one address are
/// written at most once per <see cref="RefusalWindow"/> per action, so a flood of bad credentials cannot flood the log.
/// </summary>
internal sealed class AccessAudit(IServiceScopeFactory scopes, TimeProvider time)
{
    public static readonly TimeSpan RefusalWindow = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<(string Action, string? Address), DateTimeOffset> lastRefusal = new();

    public async Task RecordAsync(string actor, string action, string resourceType, string resourceName, HttpContext context, object? detail = null) =>
        await WriteAsync(actor, action, resourceType, resourceName, Address(context), detail);

    public async Task RecordThrottledAsync(string actor, string action, string resourceType, string resourceName, HttpContext context, object? detail = null)
    {
        var address = Address(context);
        var now = time.GetUtcNow();
        if (lastRefusal.TryGetValue((action, address), out var last) && now - last < RefusalWindow)
        {
            return;
        }

        if (lastRefusal.Count > 10_000)
        {
            lastRefusal.Clear();
        }

        lastRefusal[(action, address)] = now;
        await WriteAsync(actor, action, resourceType, resourceName, address, detail);
    }

    private static string? Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString();

    private async Task WriteAsync(string actor, string action, string resourceType, string resourceName, string? address, object? detail)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
        db.AuditEvents.Add(new AuditEvent
        {
            At = time.GetUtcNow(),
            Actor = actor.Length > 200 ? actor[..200] : actor,
            Action = action,
            ResourceType = resourceType,
            ResourceName = resourceName.Length > 200 ? resourceName[..200] : resourceName,
            After = detail is null ? null : PlatformJson.Serialize(detail),
            SourceAddress = address,
        });
        await db.SaveChangesAsync(CancellationToken.None);
    }
}
