namespace Seismo.Grains.Projects;

/// <summary>
/// Runs accepted (or replayed) in this activation that are not yet durable in every test grain.
/// A run is durable once it was dispatched and each of its tests reported a flush that included it.
/// </summary>
/// <remarks>
/// A run sent once is reported once by each test, so a counter suffices. A run sent again (replayed after a restart,
/// or resent as stale or unsaved) may be reported twice by one test, by a flush racing the resend and by the answer
/// to the resend; such a run counts distinct tests instead, so a double report cannot advance the watermark early.
/// </remarks>
internal sealed class PendingRuns
{
    private sealed class Entry(int outstanding, DateTimeOffset since)
    {
        public readonly int Tests = outstanding;
        public int Outstanding = outstanding;
        public HashSet<string>? Reported;
        public bool Dispatched;
        public bool Dispatching;
        public DateTimeOffset Since = since;

        /// <summary>Every test answers again from now on; each counts once.</summary>
        public void Recount()
        {
            Outstanding = Tests;
            Reported = [];
        }
    }

    // Every test's flush reports every run it saved, so lookups are per result: a hash map, with the order kept aside.
    private readonly Dictionary<long, Entry> _entries = [];
    private readonly SortedSet<long> _order = [];

    public int Count => _entries.Count;

    public void Add(long sequence, int tests, DateTimeOffset now) => Put(sequence, new Entry(tests, now));

    private void Put(long sequence, Entry entry)
    {
        _entries[sequence] = entry;
        _order.Add(sequence);
    }

    /// <summary>A run read back from the run log to be sent again: some tests may already hold it.</summary>
    public void AddReplayed(long sequence, int tests, DateTimeOffset now)
    {
        var entry = new Entry(tests, now);
        entry.Recount();
        Put(sequence, entry);
    }

    public bool Contains(long sequence) => _entries.ContainsKey(sequence);

    public bool IsDispatched(long sequence) => !_entries.TryGetValue(sequence, out var e) || e.Dispatched;

    public void MarkDispatched(long sequence)
    {
        if (_entries.TryGetValue(sequence, out var e)) { e.Dispatched = true; e.Dispatching = false; }
    }

    public void MarkDispatchFailed(long sequence, DateTimeOffset now)
    {
        if (_entries.TryGetValue(sequence, out var e)) { e.Dispatching = false; e.Since = now; }
    }

    /// <summary>A deleted run: nothing to wait for any more.</summary>
    public void Remove(long sequence)
    {
        _entries.Remove(sequence);
        _order.Remove(sequence);
    }

    public void Clear()
    {
        _entries.Clear();
        _order.Clear();
    }

    public void Flushed(long sequence, string keyHash)
    {
        if (!_entries.TryGetValue(sequence, out var e)) return;
        if (e.Reported is { } reported && !reported.Add(keyHash)) return;
        e.Outstanding--;
    }

    /// <summary>
    /// Runs nobody has finished dispatching for a while: the API node that took them may be gone after reaching some
    /// of the tests, which answer the resend again.
    /// </summary>
    public IReadOnlyList<long> TakeStale(DateTimeOffset olderThan)
    {
        var stale = _order.Where(s => _entries[s] is { Dispatched: false, Dispatching: false } e && e.Since < olderThan).ToList();
        foreach (var s in stale)
        {
            var e = _entries[s];
            e.Dispatching = true;
            e.Recount();
        }
        return stale;
    }

    /// <summary>
    /// Runs sent long ago that some test grain never saved: its silo died with the run only in memory. Every test
    /// grain answers a resend (a duplicate that is already saved is acknowledged at once), so the count restarts,
    /// counting each test once.
    /// </summary>
    public IReadOnlyList<long> TakeUnsaved(DateTimeOffset olderThan, DateTimeOffset now)
    {
        var unsaved = _order.Where(s => _entries[s] is { Dispatched: true, Outstanding: > 0 } e && e.Since < olderThan).ToList();
        foreach (var s in unsaved)
        {
            var e = _entries[s];
            (e.Since, e.Dispatched, e.Dispatching) = (now, false, true);
            e.Recount();
        }
        return unsaved;
    }

    /// <summary>Drops the durable prefix and returns the new durable watermark.</summary>
    public long Advance(long lastSequence)
    {
        while (_order.Count > 0)
        {
            var first = _order.Min;
            var entry = _entries[first];
            if (!entry.Dispatched || entry.Outstanding > 0) return first - 1;
            Remove(first);
        }
        return lastSequence;
    }
}
