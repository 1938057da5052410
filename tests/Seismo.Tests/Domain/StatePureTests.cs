using Seismo.Api.Ingest;
using Seismo.Grains;
using Seismo.Grains.Projects;
using Seismo.Grains.Tests;

namespace Seismo.Tests.Domain;

/// <summary>The pure parts of the write path: folding results, applying runs to a test, tracking durability.</summary>
public class StatePureTests
{
    private static TestResult Result(TestStatus status, int attempts = 1, string key = "a.B c", string? message = null) =>
        new(key, "c", "c", "a.B", null, null, status, attempts, 10, message, null, null, "00");

    [Theory]
    [InlineData(TestStatus.Passed, TestStatus.Failed, TestStatus.Flaky)]
    [InlineData(TestStatus.Failed, TestStatus.Passed, TestStatus.Flaky)]
    [InlineData(TestStatus.Failed, TestStatus.Error, TestStatus.Error)]
    [InlineData(TestStatus.Passed, TestStatus.Passed, TestStatus.Passed)]
    [InlineData(TestStatus.Skipped, TestStatus.Failed, TestStatus.Failed)]
    [InlineData(TestStatus.Flaky, TestStatus.Passed, TestStatus.Flaky)]
    public void Repeated_reports_of_one_test_in_a_run_fold_into_one_result(TestStatus first, TestStatus second, TestStatus folded)
    {
        var folder = new ResultFolder();
        folder.Add(Result(first, message: first is TestStatus.Failed ? "boom" : null));
        folder.Add(Result(second, message: second is TestStatus.Failed or TestStatus.Error ? "bang" : null));
        var only = Assert.Single(folder.Results);
        Assert.Equal(folded, only.Status);
        if (first != TestStatus.Skipped && second != TestStatus.Skipped) Assert.Equal(2, only.Attempts);
    }

    private static TestApplication Run(long sequence, TestStatus status, long durableThrough = 0) =>
        new(new TestExecution(sequence, Guid.NewGuid(), $"run{sequence}", 0, status, 5, 1, "main", "abc", DateTimeOffset.UnixEpoch.AddMinutes(sequence), null),
            Result(status), 0, 1, durableThrough);

    [Fact]
    public void A_test_applies_each_run_once_in_sequence_order_even_when_runs_arrive_late()
    {
        var state = new TestState();
        foreach (var s in new long[] { 1, 2, 4, 3 }) Assert.True(state.Apply(Run(s, s == 3 ? TestStatus.Failed : TestStatus.Passed)));
        Assert.False(state.Apply(Run(2, TestStatus.Passed)));
        Assert.Equal([1, 2, 3, 4], state.Ring.Select(e => e.Sequence));
        Assert.Equal((4, 3, 1), (state.TotalRuns, state.Passed, state.Failed));
    }

    [Fact]
    public void Runs_that_left_the_ring_are_still_recognised_as_applied()
    {
        var state = new TestState();
        for (var s = 1; s <= TestState.RingCapacity + 10; s++) state.Apply(Run(s, TestStatus.Passed));
        Assert.Equal(TestState.RingCapacity, state.Ring.Count);
        Assert.True(state.HasApplied(3));
        Assert.False(state.Apply(Run(3, TestStatus.Failed)));
        Assert.Equal(TestState.RingCapacity + 10, state.TotalRuns);
    }

    [Fact]
    public void A_run_arriving_after_many_later_ones_is_still_applied_once()
    {
        var state = new TestState();
        for (var s = 2; s <= 100; s++) state.Apply(Run(s, TestStatus.Passed));
        Assert.True(state.Apply(Run(1, TestStatus.Failed)));
        Assert.False(state.Apply(Run(1, TestStatus.Failed)));
        Assert.Equal((100, 1), (state.TotalRuns, state.Failed));
    }

    [Fact]
    public void The_project_watermark_prunes_the_applied_set_and_still_answers_for_old_runs()
    {
        var state = new TestState();
        for (var s = 1; s <= 10; s++) state.Apply(Run(s, TestStatus.Passed, durableThrough: s - 1));
        state.Apply(Run(11, TestStatus.Passed, durableThrough: 8));
        Assert.Equal([10, 11], state.AppliedAbove);
        Assert.False(state.Apply(Run(4, TestStatus.Passed, durableThrough: 8)));
        Assert.Equal(11, state.TotalRuns);
    }

    [Fact]
    public void The_durable_watermark_advances_only_over_runs_dispatched_and_flushed_by_every_test()
    {
        var pending = new PendingRuns();
        pending.Add(1, tests: 2, DateTimeOffset.UnixEpoch);
        pending.Add(2, tests: 1, DateTimeOffset.UnixEpoch);
        Assert.Equal(0, pending.Advance(2));
        pending.MarkDispatched(1);
        pending.MarkDispatched(2);
        pending.Flushed(2);
        Assert.Equal(0, pending.Advance(2));
        pending.Flushed(1);
        Assert.Equal(0, pending.Advance(2));
        pending.Flushed(1);
        Assert.Equal(2, pending.Advance(2));
        Assert.Equal(0, pending.Count);
    }

    [Fact]
    public void Runs_nobody_dispatched_are_handed_out_once_as_stale()
    {
        var pending = new PendingRuns();
        pending.Add(7, 1, DateTimeOffset.UnixEpoch);
        Assert.Equal([7], pending.TakeStale(DateTimeOffset.UnixEpoch.AddMinutes(1)));
        Assert.Empty(pending.TakeStale(DateTimeOffset.UnixEpoch.AddMinutes(1)));
    }

    [Fact]
    public void Project_counters_answer_every_status_and_branch_filter_and_fold_each_run_once()
    {
        var state = new ProjectState();
        RunSummary Summary(long seq, string status, string branch) => new(
            new RunMetadata(Guid.NewGuid(), $"r{seq}", Guid.Empty, Guid.Empty, null, "collect", DateTimeOffset.UnixEpoch, null, [], null, 0, 0, [], [],
                CiContext.None with { Branch = branch }, null, null), seq, status, new RunCounts(1, 1, 0, 0, 0, 0));
        state.Fold(Summary(1, "passed", "main"), [Result(TestStatus.Passed)]);
        state.Fold(Summary(2, "failed", "main"), [Result(TestStatus.Failed)]);
        state.Fold(Summary(3, "failed", "dev"), [Result(TestStatus.Failed)]);
        state.Fold(Summary(3, "failed", "dev"), [Result(TestStatus.Failed)]);
        Assert.Equal(3, state.CountRuns(null, null));
        Assert.Equal(2, state.CountRuns("failed", null));
        Assert.Equal(2, state.CountRuns(null, "main"));
        Assert.Equal(1, state.CountRuns("failed", "dev"));
        Assert.Equal(0, state.CountRuns("passed", "dev"));
        Assert.Equal(3, state.Tests["00"].TotalRuns);
    }
}
