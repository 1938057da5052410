using Seismo.Grains.Projects;

namespace Seismo.Tests.Durability;

/// <summary>
/// The durable watermark of a run sent again: every test grain answers the resend, and one that also reports a flush
/// racing the resend must not stand in for a test that has not saved the run yet.
/// </summary>
public class PendingRunsResendTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;

    [Fact]
    public void A_test_that_flushes_between_the_reset_and_the_resend_is_counted_once()
    {
        var pending = new PendingRuns();
        pending.Add(1, tests: 2, T0);
        pending.MarkDispatched(1);
        // Test "b" lived on the silo that died: it never reports. The run is resent as unsaved.
        Assert.Equal([1], pending.TakeUnsaved(T0.AddMinutes(1), T0.AddMinutes(1)));
        // "a" had the run unsaved and flushes now, after the reset; then it answers the resend as a saved duplicate.
        pending.Flushed(1, "a");
        pending.MarkDispatched(1);
        pending.Flushed(1, "a");
        Assert.Equal(0, pending.Advance(1));
        // Only when "b" has saved the resent run is it durable everywhere.
        pending.Flushed(1, "b");
        Assert.Equal(1, pending.Advance(1));
    }

    [Fact]
    public void A_stale_run_resent_after_some_tests_saved_it_waits_for_the_others()
    {
        var pending = new PendingRuns();
        pending.Add(4, tests: 3, T0);
        // The API node reached "a" and "b", then died before reporting the dispatch; both saved it.
        pending.Flushed(4, "a");
        pending.Flushed(4, "b");
        Assert.Equal([4], pending.TakeStale(T0.AddMinutes(1)));
        pending.MarkDispatched(4);
        // Both answer the resend at once (already saved); "b" also reports a late flush.
        pending.Flushed(4, "a");
        pending.Flushed(4, "b");
        pending.Flushed(4, "b");
        Assert.Equal(3, pending.Advance(4));
        pending.Flushed(4, "c");
        Assert.Equal(4, pending.Advance(4));
    }

    [Fact]
    public void A_run_replayed_after_a_restart_counts_each_test_once()
    {
        var pending = new PendingRuns();
        pending.AddReplayed(9, tests: 2, T0);
        pending.MarkDispatched(9);
        pending.Flushed(9, "a");
        pending.Flushed(9, "a");
        Assert.Equal(8, pending.Advance(9));
        pending.Flushed(9, "b");
        Assert.Equal(9, pending.Advance(9));
    }

    [Fact]
    public void A_run_resent_twice_restarts_its_count_each_time()
    {
        var pending = new PendingRuns();
        pending.Add(2, tests: 2, T0);
        pending.MarkDispatched(2);
        pending.Flushed(2, "a");
        pending.TakeUnsaved(T0.AddMinutes(1), T0.AddMinutes(1));
        pending.MarkDispatched(2);
        pending.Flushed(2, "a");
        // "b" died again before saving: a second resend, after which "a" answers once more and "b" finally saves.
        Assert.Equal([2], pending.TakeUnsaved(T0.AddMinutes(3), T0.AddMinutes(3)));
        pending.MarkDispatched(2);
        pending.Flushed(2, "a");
        Assert.Equal(1, pending.Advance(2));
        pending.Flushed(2, "b");
        Assert.Equal(2, pending.Advance(2));
    }

    [Fact]
    public void A_run_sent_once_is_durable_when_each_test_has_reported()
    {
        var pending = new PendingRuns();
        pending.Add(3, tests: 2, T0);
        pending.MarkDispatched(3);
        pending.Flushed(3, "a");
        pending.Flushed(3, "b");
        Assert.Equal(3, pending.Advance(3));
    }
}
