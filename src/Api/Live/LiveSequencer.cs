using System.Collections.Concurrent;
using Seismo.Grains;

namespace Seismo.Api.Live;

/// <summary>
/// Puts each project's events back in sequence order before this node publishes them. A project grain sends them in
/// order, but an Orleans client may run its observer's calls concurrently, so batches can arrive swapped. An event
/// ahead of a gap is held until the gap fills; a gap still open after the timeout is read from the project's replay
/// buffer, and what that cannot supply (a crash's unused numbers, a failed read) is skipped, so no stream stalls.
/// Events at or below the last one published are dropped. A project's first event starts its sequence at once; when a
/// node first hears of a project later in its life, the lowest event seen within <see cref="StartWindow"/> starts it
/// (a batch may have overtaken the one before it), and anything older that arrives after that is dropped.
/// </summary>
public sealed class LiveSequencer : IDisposable
{
    /// <summary>Held events per project beyond which the gap is skipped at once rather than waited for.</summary>
    public const int MaxHeld = 10_000;

    /// <summary>How long the first events a node sees of a project (other than its very first) wait for earlier ones.</summary>
    public static readonly TimeSpan StartWindow = TimeSpan.FromMilliseconds(100);

    /// <summary>A project silent this long (up to twice it) forgets its place; its next event starts afresh.</summary>
    public static readonly TimeSpan IdleExpiry = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<Guid, Line> _lines = new();
    private readonly Action<IReadOnlyList<LiveEvent>> _publish;
    private readonly Func<Guid, long, Task<EventReplay>> _fetch;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _gapTimeout;
    private readonly TimeSpan _fetchTimeout;
    private readonly ILogger _logger;
    private readonly ITimer _sweep;

    /// <param name="publish">Receives released events, in order; called under the project's lock, so it must not block.</param>
    /// <param name="fetch">The project's events after a sequence number (its replay buffer).</param>
    public LiveSequencer(Action<IReadOnlyList<LiveEvent>> publish, Func<Guid, long, Task<EventReplay>> fetch, TimeProvider clock,
        TimeSpan gapTimeout, TimeSpan fetchTimeout, ILogger logger)
    {
        _publish = publish;
        _fetch = fetch;
        _clock = clock;
        _gapTimeout = gapTimeout;
        _fetchTimeout = fetchTimeout;
        _logger = logger;
        _sweep = clock.CreateTimer(_ => Sweep(), null, IdleExpiry, IdleExpiry);
    }

    /// <summary>Projects this node currently keeps a place for.</summary>
    public int ProjectCount => _lines.Count;

    public void Accept(LiveEvent[] events)
    {
        if (events.Length == 0) return;
        var project = events[0].ProjectId;
        foreach (var e in events)
        {
            if (e.ProjectId == project) continue;
            // A project grain sends only its own events; anything else is split by project.
            foreach (var group in events.GroupBy(g => g.ProjectId)) Accept(group.Key, group.ToArray());
            return;
        }
        Accept(project, events);
    }

    private void Accept(Guid project, LiveEvent[] events)
    {
        while (true)
        {
            var line = _lines.GetOrAdd(project, static p => new Line(p));
            lock (line)
            {
                // Swept away between the lookup and the lock: the next lookup makes a fresh one.
                if (line.Removed) continue;
                line.Touched = true;
                if (line.Next == 0)
                {
                    Start(line, events);
                    return;
                }
                // The usual case: nothing held, and the batch continues exactly where the last one ended.
                if (line.HeldCount == 0 && events[0].Sequence == line.Next && IsContiguous(events))
                {
                    _publish(events);
                    line.Next = events[^1].Sequence + 1;
                    return;
                }
                foreach (var e in events) line.Hold(e);
                if (line.HeldCount > MaxHeld) SkipTo(line, line.LowestHeld, "too many events held");
                Release(line);
                return;
            }
        }
    }

    /// <summary>Under the line's lock, before its sequence has started: holds the events and starts it when it may.</summary>
    private void Start(Line line, LiveEvent[] events)
    {
        foreach (var e in events) line.Hold(e);
        if (line.LowestHeld == 1) BeginAtLowest(line);
        else line.StartTimer ??= _clock.CreateTimer(s => StartWindowEnded((Line)s!), line, StartWindow, Timeout.InfiniteTimeSpan);
    }

    private void StartWindowEnded(Line line)
    {
        lock (line)
        {
            if (!line.Removed && line.Next == 0 && line.HeldCount > 0) BeginAtLowest(line);
        }
    }

    private void BeginAtLowest(Line line)
    {
        line.StartTimer?.Dispose();
        line.StartTimer = null;
        line.Next = line.LowestHeld;
        Release(line);
    }

    private static bool IsContiguous(LiveEvent[] events)
    {
        for (var i = 1; i < events.Length; i++)
        {
            if (events[i].Sequence != events[i - 1].Sequence + 1) return false;
        }
        return true;
    }

    /// <summary>Publishes the held events that now follow on, then times the gap left before the rest. Under the line's lock.</summary>
    private void Release(Line line)
    {
        PublishReady(line);
        if (line.HeldCount == 0)
        {
            line.Timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            line.GapAt = 0;
        }
        else if (line.GapAt != line.Next && !line.Fetching)
        {
            // A new gap gets its own full wait; more events arriving behind the same gap do not extend it.
            line.GapAt = line.Next;
            line.Timer ??= _clock.CreateTimer(s => _ = GapExpiredAsync((Line)s!), line, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            line.Timer.Change(_gapTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    private void PublishReady(Line line)
    {
        if (line.TakeReady() is { } ready) _publish(ready);
    }

    private void SkipTo(Line line, long sequence, string why)
    {
        if (sequence <= line.Next) return;
        _logger.LogWarning("Project {Project}: live events {From}..{To} did not reach this node ({Why}); skipped",
            line.Project, line.Next, sequence - 1, why);
        line.Next = sequence;
    }

    private async Task GapExpiredAsync(Line line)
    {
        long after;
        lock (line)
        {
            if (line.Removed || line.HeldCount == 0 || line.Fetching) return;
            line.Fetching = true;
            after = line.Next - 1;
        }
        EventReplay? replay = null;
        try { replay = await _fetch(line.Project, after).WaitAsync(_fetchTimeout, _clock); }
        catch (Exception e) { _logger.LogWarning(e, "Project {Project}: live events after {After} could not be read", line.Project, after); }
        lock (line)
        {
            line.Fetching = false;
            if (line.Removed) return;
            if (replay is not null)
            {
                foreach (var e in replay.Events) line.Hold(e);
                PublishReady(line);
                // What the buffer lacks up to its last event is gone (a crash's unused numbers, or older than the
                // buffer reaches); a gap past it belongs to events still on their way and gets its own wait.
                if (line.HeldCount > 0 && line.Next <= replay.LastSequence)
                    SkipTo(line, Math.Min(line.LowestHeld, replay.LastSequence + 1), "not in the replay buffer");
            }
            else if (line.HeldCount > 0 && line.Next == after + 1) SkipTo(line, line.LowestHeld, "replay buffer unavailable");
            line.GapAt = 0;
            Release(line);
        }
    }

    /// <summary>Forgets projects untouched since the previous sweep with nothing held.</summary>
    private void Sweep()
    {
        foreach (var line in _lines.Values)
        {
            lock (line)
            {
                if (line.Touched || line.HeldCount > 0 || line.Fetching) line.Touched = false;
                else Retire(line);
            }
        }
    }

    /// <summary>Under the line's lock. A caller holding it still finds <see cref="Line.Removed"/> and looks again.</summary>
    private void Retire(Line line)
    {
        line.Removed = true;
        line.Timer?.Dispose();
        line.StartTimer?.Dispose();
        _lines.TryRemove(new KeyValuePair<Guid, Line>(line.Project, line));
    }

    public void Dispose()
    {
        _sweep.Dispose();
        foreach (var line in _lines.Values)
        {
            lock (line) Retire(line);
        }
    }

    /// <summary>One project's place: the next sequence to publish and the events held ahead of a gap.</summary>
    private sealed class Line(Guid project)
    {
        private PriorityQueue<LiveEvent, long>? _held;

        public Guid Project { get; } = project;

        /// <summary>The next sequence to publish; 0 until the first event is seen.</summary>
        public long Next;

        /// <summary>The sequence whose gap the timer is running for; 0 when none.</summary>
        public long GapAt;

        public ITimer? Timer;

        /// <summary>Runs while the first events seen wait for earlier ones (see <see cref="StartWindow"/>).</summary>
        public ITimer? StartTimer;
        public bool Fetching;
        public bool Touched;
        public bool Removed;

        public int HeldCount => _held?.Count ?? 0;

        public long LowestHeld => _held!.Peek().Sequence;

        public void Hold(LiveEvent e)
        {
            if (e.Sequence < Next) return;
            (_held ??= new()).Enqueue(e, e.Sequence);
        }

        /// <summary>Removes and returns the held events that follow on from <see cref="Next"/>, dropping duplicates.</summary>
        public List<LiveEvent>? TakeReady()
        {
            List<LiveEvent>? ready = null;
            while (_held is { Count: > 0 } && _held.Peek().Sequence <= Next)
            {
                var e = _held.Dequeue();
                if (e.Sequence < Next) continue;
                (ready ??= []).Add(e);
                Next++;
            }
            return ready;
        }
    }
}
