using Microsoft.Extensions.Logging.Abstractions;
using Seismo.Api.Live;
using Seismo.Grains;

namespace Seismo.Tests.Live;

/// <summary>The node's per-project reordering: held events, duplicates, gaps filled live, from the replay buffer, or skipped.</summary>
public sealed class LiveSequencerTests : IDisposable
{
    private static readonly TimeSpan Gap = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(2);
    private static readonly Guid Project = Guid.NewGuid();

    private readonly ManualTimeProvider _clock = new();
    private readonly List<LiveEvent> _published = [];
    private readonly List<long> _fetches = [];
    private readonly LiveSequencer _sequencer;

    /// <summary>What the project's replay buffer answers; by default the events 1..100, all still held.</summary>
    private Func<long, Task<EventReplay>> _buffer = after => Task.FromResult(Replay(Range(1, 100).Where(e => e.Sequence > after), 100));

    public LiveSequencerTests()
    {
        _sequencer = new LiveSequencer(Publish, (project, after) =>
        {
            Assert.Equal(Project, project);
            lock (_fetches) _fetches.Add(after);
            return _buffer(after);
        }, _clock, Gap, FetchTimeout, NullLogger.Instance);
    }

    public void Dispose() => _sequencer.Dispose();

    private void Publish(IReadOnlyList<LiveEvent> events)
    {
        lock (_published) _published.AddRange(events);
    }

    private long[] Published()
    {
        lock (_published) return _published.Select(e => e.Sequence).ToArray();
    }

    private static LiveEvent Event(long sequence, Guid? project = null) =>
        new($"evt_{sequence}", EventTypes.RunCompleted, EventTypes.Version, project ?? Project, Guid.Empty, sequence,
            DateTimeOffset.UnixEpoch, "{}");

    private static LiveEvent[] Range(long from, long to, Guid? project = null) =>
        Enumerable.Range((int)from, (int)(to - from + 1)).Select(s => Event(s, project)).ToArray();

    private static EventReplay Replay(IEnumerable<LiveEvent> events, long last) => new(events.ToArray(), false, last);

    private void Deliver(params long[] sequences) => _sequencer.Accept(sequences.Select(s => Event(s)).ToArray());

    /// <summary>The fetch may complete on another thread (a timed-out wait does); its outcome is awaited, not slept for.</summary>
    private async Task WaitForPublishedAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Published().Length < count && DateTime.UtcNow < deadline) await Task.Delay(5);
    }

    [Fact]
    public void Batches_in_order_pass_straight_through()
    {
        var first = Range(1, 3);
        _sequencer.Accept(first);
        _sequencer.Accept(Range(4, 4));

        Assert.Equal([1L, 2, 3, 4], Published());
        Assert.Same(first[0], _published[0]);
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Empty(_fetches);
    }

    [Fact]
    public void Batches_arriving_swapped_are_published_in_sequence_order()
    {
        Deliver(1);
        Deliver(3);
        Assert.Equal([1L], Published());
        Deliver(2);
        Deliver(6, 7);
        Deliver(4, 5);

        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], Published());
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Empty(_fetches);
    }

    [Fact]
    public void Events_already_published_or_already_held_are_dropped()
    {
        Deliver(1, 2);
        Deliver(2);
        Deliver(1, 2, 3);
        Deliver(5);
        Deliver(5);
        Deliver(3, 4);
        Deliver(4);

        Assert.Equal([1L, 2, 3, 4, 5], Published());
    }

    [Fact]
    public void A_projects_first_event_starts_its_sequence_at_once()
    {
        Deliver(1, 2);
        Assert.Equal([1L, 2], Published());
    }

    [Fact]
    public void Joining_a_project_later_the_lowest_event_seen_within_the_start_window_starts_it()
    {
        Deliver(41, 42);
        Deliver(40);
        Assert.Empty(Published());

        _clock.Advance(LiveSequencer.StartWindow);
        Assert.Equal([40L, 41, 42], Published());
        Deliver(39);
        Deliver(43);
        Assert.Equal([40L, 41, 42, 43], Published());
    }

    [Fact]
    public void An_overtaken_first_event_of_a_project_still_comes_first()
    {
        Deliver(2, 3);
        Deliver(1);
        Assert.Equal([1L, 2, 3], Published());
        Assert.Empty(_fetches);
    }

    [Fact]
    public void A_gap_filled_before_the_timeout_releases_the_held_events_at_once()
    {
        Deliver(1);
        Deliver(3, 4);
        _clock.Advance(Gap - TimeSpan.FromMilliseconds(100));
        Assert.Equal([1L], Published());

        Deliver(2);
        Assert.Equal([1L, 2, 3, 4], Published());
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Empty(_fetches);
    }

    [Fact]
    public void Later_events_behind_the_same_gap_do_not_extend_its_wait()
    {
        _buffer = after => Task.FromResult(Replay(Range(after + 1, 4), 4));
        Deliver(1);
        Deliver(3);
        _clock.Advance(Gap * 0.6);
        Deliver(4);
        _clock.Advance(Gap * 0.5);

        Assert.Equal([1L], _fetches);
        Assert.Equal([1L, 2, 3, 4], Published());
    }

    [Fact]
    public void A_gap_still_open_at_the_timeout_is_read_from_the_replay_buffer()
    {
        Deliver(1);
        Deliver(4);
        _clock.Advance(Gap);

        Assert.Equal([1L], _fetches);
        // The buffer also had 5..100, not yet arrived live: they are published now, and dropped when they arrive.
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), Published());
        Deliver(2);
        Deliver(3, 5);
        Deliver(101);
        Assert.Equal(Enumerable.Range(1, 101).Select(i => (long)i), Published());
    }

    [Fact]
    public void Numbers_the_buffer_never_held_are_skipped_after_the_read()
    {
        // A project grain that crashed resumes numbering after its reserved block: 4..1000 were never used.
        _buffer = after => Task.FromResult(Replay([Event(2), Event(3), Event(1001)], 1001));
        Deliver(1);
        Deliver(1001);
        _clock.Advance(Gap);

        Assert.Equal([1L, 2, 3, 1001], Published());
        Deliver(1002);
        Assert.Equal([1L, 2, 3, 1001, 1002], Published());
    }

    [Fact]
    public void A_failed_read_skips_the_gap_so_the_stream_goes_on()
    {
        _buffer = _ => Task.FromException<EventReplay>(new TimeoutException("silo gone"));
        Deliver(1);
        Deliver(4, 5);
        _clock.Advance(Gap - TimeSpan.FromMilliseconds(1));
        Assert.Equal([1L], Published());
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal([1L, 4, 5], Published());
        Deliver(2);
        Deliver(6);
        Assert.Equal([1L, 4, 5, 6], Published());
    }

    [Fact]
    public async Task A_read_that_does_not_answer_is_given_up_and_the_gap_skipped()
    {
        var never = new TaskCompletionSource<EventReplay>();
        _buffer = _ => never.Task;
        Deliver(1);
        Deliver(3);
        _clock.Advance(Gap);
        Assert.Equal([1L], Published());

        _clock.Advance(FetchTimeout);
        await WaitForPublishedAsync(2);
        Assert.Equal([1L, 3], Published());
    }

    [Fact]
    public async Task A_gap_filled_during_a_failed_read_is_not_skipped_and_the_next_gap_gets_its_own_wait()
    {
        var first = new TaskCompletionSource<EventReplay>(TaskCreationOptions.RunContinuationsAsynchronously);
        _buffer = after => after == 1 ? first.Task : Task.FromResult(Replay([Event(4), Event(5)], 5));
        Deliver(1);
        Deliver(3);
        _clock.Advance(Gap);
        Deliver(2);
        Deliver(5);
        Assert.Equal([1L, 2, 3], Published());

        // The read for the gap at 2 fails after that gap filled: 4 is a new gap, read in its turn rather than skipped.
        first.SetException(new InvalidOperationException("silo gone"));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_fetches.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
            _clock.Advance(Gap / 10);
        }

        Assert.Equal([1L, 3], _fetches);
        Assert.Equal([1L, 2, 3, 4, 5], Published());
    }

    [Fact]
    public void Projects_are_ordered_independently()
    {
        var other = Guid.NewGuid();
        Deliver(1);
        Deliver(3);
        _sequencer.Accept(Range(1, 2, other));
        _sequencer.Accept([Event(7, Project), Event(3, other)]);

        Assert.Equal([1L, 1, 2, 3], Published());
        Deliver(2);
        Assert.Equal(new[] { (Project, 1L), (other, 1), (other, 2), (other, 3), (Project, 2), (Project, 3) },
            _published.Select(e => (e.ProjectId, e.Sequence)).Take(6));
    }

    [Fact]
    public void Too_many_held_events_skip_the_gap_at_once()
    {
        Deliver(1);
        _sequencer.Accept(Range(3, 3 + LiveSequencer.MaxHeld));

        Assert.Equal(LiveSequencer.MaxHeld + 2, Published().Length);
        Assert.Equal(3, Published()[1]);
        Assert.Empty(_fetches);
    }

    [Fact]
    public void A_project_quiet_past_the_idle_expiry_is_forgotten_and_starts_afresh()
    {
        Deliver(1, 2);
        _clock.Advance(LiveSequencer.IdleExpiry);
        Assert.Equal(1, _sequencer.ProjectCount);
        _clock.Advance(LiveSequencer.IdleExpiry);
        Assert.Equal(0, _sequencer.ProjectCount);

        Deliver(9);
        _clock.Advance(LiveSequencer.StartWindow);
        Assert.Equal([1L, 2, 9], Published());
    }

    [Fact]
    public async Task Concurrent_deliveries_of_shuffled_batches_come_out_complete_and_in_order()
    {
        var batches = Enumerable.Range(0, 2000).Select(b => Range(b * 3 + 1, b * 3 + 3)).ToArray();
        _sequencer.Accept(batches[0]);
        var shuffled = batches.Skip(1).OrderBy(_ => Random.Shared.Next()).ToArray();
        using var start = new Barrier(4);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            start.SignalAndWait();
            for (var i = t; i < shuffled.Length; i += 4) _sequencer.Accept(shuffled[i]);
        })));

        Assert.Equal(Enumerable.Range(1, 6000).Select(i => (long)i), Published());
        Assert.Empty(_fetches);
    }
}
