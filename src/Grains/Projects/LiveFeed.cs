using Seismo.Grains.Live;

namespace Seismo.Grains.Projects;

/// <summary>
/// A project's live events: numbering and the bounded replay buffer, both in the project's state so a client can
/// resume on any API node. The state is written behind, so numbers are reserved in blocks written ahead: after a
/// crash numbering resumes past the block, never reusing a number a client may have seen.
/// </summary>
public sealed class LiveFeed(ProjectState state, int capacity = LiveFeed.DefaultCapacity)
{
    public const int DefaultCapacity = 1000;
    public const int ReservationBlock = 1000;

    private long _sequence = state.EventsReservedThrough;

    public long LastSequence => _sequence;

    /// <summary>True when the next <paramref name="events"/> events need a new block of numbers written to storage first.</summary>
    public bool NeedsReservation(int events = 1) => _sequence + events > state.EventsReservedThrough;

    /// <summary>Reserves the next block, large enough for <paramref name="events"/>; the caller writes the state before appending.</summary>
    public void Reserve(int events = 1) => state.EventsReservedThrough = _sequence + Math.Max(ReservationBlock, events);

    public LiveEvent Append(string type, Guid accountId, string data, DateTimeOffset at)
    {
        if (NeedsReservation()) throw new InvalidOperationException("reserve event numbers before appending");
        var e = new LiveEvent($"evt_{Guid.NewGuid():N}", type, EventTypes.Version, state.Info!.Id, accountId, ++_sequence, at, data);
        var ring = state.RecentEvents;
        ring.Add(e);
        if (ring.Count > capacity) ring.RemoveRange(0, ring.Count - capacity);
        return e;
    }

    public EventReplay After(long afterSequence)
    {
        var ring = state.RecentEvents;
        var oldest = ring.Count == 0 ? _sequence + 1 : ring[0].Sequence;
        var events = ring.Where(e => e.Sequence > afterSequence).ToArray();
        // Missed: the client asked from before the oldest event still held (a gap left by a crash counts too).
        var truncated = afterSequence < _sequence && afterSequence + 1 < oldest;
        return new EventReplay(events, truncated, _sequence);
    }

    /// <summary>Before a clean shutdown: give back the unused part of the block, so numbering continues without a gap.</summary>
    public void ReleaseReservation() => state.EventsReservedThrough = _sequence;
}
