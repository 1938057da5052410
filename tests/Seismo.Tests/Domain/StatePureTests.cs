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

    /// <summary>Run <paramref name="sequence"/> of a test whose previous run was <paramref name="previous"/>.</summary>
    private static TestApplication Run(long sequence, long previous, TestStatus status, string commit = "abc", int attempts = 1) =>
        new(new TestExecution(sequence, Guid.NewGuid(), $"run{sequence}", 0, status, 5, attempts, "main", commit, DateTimeOffset.UnixEpoch.AddMinutes(sequence), null),
            Result(status) with { PreviousSequence = previous }, 0, 100, ProjectRules.Default);

    [Fact]
    public void Runs_apply_in_sequence_order_and_each_only_once()
    {
        var state = new TestState();
        Assert.Equal(ApplyOutcome.Applied, state.Offer(Run(1, 0, TestStatus.Passed)));
        Assert.Equal(ApplyOutcome.Applied, state.Offer(Run(3, 1, TestStatus.Failed)));
        Assert.Equal(ApplyOutcome.WaitingForPrevious, state.Offer(Run(7, 5, TestStatus.Passed)));
        Assert.Equal(ApplyOutcome.Applied, state.Offer(Run(5, 3, TestStatus.Passed)));
        Assert.Equal(ApplyOutcome.Duplicate, state.Offer(Run(3, 1, TestStatus.Failed)));
        Assert.Equal(ApplyOutcome.Applied, state.Offer(Run(7, 5, TestStatus.Passed)));
        Assert.Equal([1, 3, 5, 7], state.Ring.Select(e => e.Sequence));
        Assert.Equal((4, 3, 1), (state.TotalRuns, state.Passed, state.Failed));
    }

    [Fact]
    public void The_history_ring_keeps_the_latest_runs_and_old_runs_stay_applied()
    {
        var state = new TestState();
        for (var s = 1; s <= TestState.RingCapacity + 10; s++) state.Offer(Run(s, s - 1, TestStatus.Passed));
        Assert.Equal(TestState.RingCapacity, state.Ring.Count);
        Assert.Equal(ApplyOutcome.Duplicate, state.Offer(Run(3, 2, TestStatus.Failed)));
        Assert.Equal(TestState.RingCapacity + 10, state.TotalRuns);
    }

    [Fact]
    public void The_scorer_sees_every_result_and_labels_a_pass_on_retry_at_once()
    {
        var state = new TestState();
        for (var s = 1; s <= 5; s++) state.Offer(Run(s, s - 1, TestStatus.Passed));
        Assert.Equal(Seismo.Domain.Flakiness.FlakinessLabel.Stable, state.Flakiness.Label);
        state.Offer(Run(6, 5, TestStatus.Flaky, attempts: 2));
        Assert.Equal(Seismo.Domain.Flakiness.FlakinessLabel.Suspected, state.Flakiness.Label);
        Assert.Equal(6, state.Flakiness.TotalRuns);
        Assert.NotNull(state.LastFlakyAt);
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
        pending.Flushed(2, "a");
        Assert.Equal(0, pending.Advance(2));
        pending.Flushed(1, "a");
        Assert.Equal(0, pending.Advance(2));
        pending.Flushed(1, "b");
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
