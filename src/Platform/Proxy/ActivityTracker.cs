using System.Collections.Concurrent;

namespace DevPlatform.Proxy;

/// <summary>Last proxied request per environment, in memory; flushed to the database in batches.</summary>
internal sealed class ActivityTracker(TimeProvider time)
{
    private ConcurrentDictionary<Guid, DateTimeOffset> pending = new();

    public void Mark(Guid environmentId) => pending[environmentId] = time.GetUtcNow();

    /// <summary>Takes what was marked since the last call.</summary>
    public IReadOnlyDictionary<Guid, DateTimeOffset> Drain() => Interlocked.Exchange(ref pending, new ConcurrentDictionary<Guid, DateTimeOffset>());
}
