using System.Collections.Concurrent;
using System.Threading.Channels;
using Seismo.Grains;
using Seismo.Grains.Telemetry;

namespace Seismo.Api.Live;

/// <summary>
/// This node's live clients: every SSE response and the SignalR relay subscribes here, and the node's one Orleans
/// observer publishes here. A subscriber too slow to keep up is cut off rather than buffered without bound; it
/// reconnects with its last event id and replays from the project's buffer.
/// </summary>
public sealed class LiveBroker
{
    public const int SubscriberCapacity = 10_000;

    private readonly ConcurrentDictionary<LiveSubscription, byte> _subscriptions = new();

    public LiveBroker(SeismoMetrics metrics) =>
        metrics.ObserveDepth(SeismoMetrics.LiveSubscribers, () => _subscriptions.Count,
            "Live subscriptions on this API node: one per open SSE stream, plus the SignalR relay");

    public int SubscriberCount => _subscriptions.Count;

    public LiveSubscription Subscribe(Func<LiveEvent, bool> filter, int capacity = SubscriberCapacity)
    {
        var subscription = new LiveSubscription(filter, capacity, s => _subscriptions.TryRemove(s, out _));
        _subscriptions[subscription] = 0;
        return subscription;
    }

    public void Publish(IReadOnlyList<LiveEvent> events)
    {
        foreach (var subscription in _subscriptions.Keys) subscription.Offer(events);
    }
}

public sealed class LiveSubscription : IDisposable
{
    private readonly Func<LiveEvent, bool> _filter;
    private readonly Channel<LiveEvent> _channel;
    private readonly Action<LiveSubscription> _remove;

    internal LiveSubscription(Func<LiveEvent, bool> filter, int capacity, Action<LiveSubscription> remove)
    {
        _filter = filter;
        _remove = remove;
        _channel = Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public ChannelReader<LiveEvent> Reader => _channel.Reader;

    /// <summary>The subscriber fell too far behind and was cut off.</summary>
    public bool Overflowed { get; private set; }

    internal void Offer(IReadOnlyList<LiveEvent> events)
    {
        foreach (var e in events)
        {
            if (!_filter(e)) continue;
            if (_channel.Writer.TryWrite(e)) continue;
            Overflowed = true;
            _channel.Writer.TryComplete();
            return;
        }
    }

    public void Dispose()
    {
        _remove(this);
        _channel.Writer.TryComplete();
    }
}
