using System.Collections.Concurrent;
using System.Threading.Channels;

namespace DevPlatform.Environments;

/// <summary>Live events per environment for server-sent-event subscribers (persisted events come from the database).</summary>
internal sealed class EnvironmentEventStream
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Channel<EnvironmentEventView>, byte>> subscribers = new();

    public Subscription Subscribe(Guid environmentId)
    {
        var channel = Channel.CreateBounded<EnvironmentEventView>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
        subscribers.GetOrAdd(environmentId, _ => new()).TryAdd(channel, 0);
        return new Subscription(channel.Reader, () => subscribers.GetOrAdd(environmentId, _ => new()).TryRemove(channel, out _));
    }

    public void Publish(Guid environmentId, EnvironmentEventView view)
    {
        if (subscribers.TryGetValue(environmentId, out var channels))
        {
            foreach (var channel in channels.Keys)
            {
                channel.Writer.TryWrite(view);
            }
        }
    }

    internal sealed class Subscription(ChannelReader<EnvironmentEventView> reader, Action unsubscribe) : IDisposable
    {
        public ChannelReader<EnvironmentEventView> Reader { get; } = reader;

        public void Dispose() => unsubscribe();
    }
}
