using Seismo.Domain.Flakiness;
using static Seismo.Tests.Flakiness.ScorerSequence;

namespace Seismo.Tests.Flakiness;

/// <summary>Label and reason after specific runs of one test's history.</summary>
public class FlakinessScorerTests
{
    [Fact]
    public void A_new_test_that_passes_is_stable_and_its_score_falls_below_the_prior()
    {
        var seq = new ScorerSequence().Runs(new string('P', 50));
        Assert.Equal(FlakinessLabel.Stable, seq.Label);
        Assert.Equal(FlakinessReason.None, seq.Reason);
        Assert.True(seq.Score < 0.5 / 20.5);
        Assert.Equal(50, seq.State.TotalRuns);
    }

    [Fact]
    public void An_isolated_failure_is_held_for_one_run_before_it_counts()
    {
        var seq = new ScorerSequence().Runs(new string('P', 20) + "F");
        Assert.Equal(0, seq.State.Failures);
        seq.Runs("P");
        Assert.InRange(seq.State.Failures, 0.99, 1.0);
        Assert.Equal(FlakinessLabel.Stable, seq.Label);
    }

    [Fact]
    public void Isolated_failures_make_the_test_flaky_once_the_estimate_is_confident()
    {
        var seq = new ScorerSequence().Runs("PPPPPPPPPF" + "PPPPPPPPPF");
        Assert.Equal(FlakinessLabel.Stable, seq.Label); // the second failure is still held
        seq.Runs("P");
        Assert.Equal(FlakinessLabel.Flaky, seq.Label);
        Assert.Equal(FlakinessReason.FailureRateAboveThreshold, seq.Reason);
        Assert.True(FlakinessScorer.Confidence(seq.State, seq.Settings) >= 0.95);
    }

    [Fact]
    public void A_randomly_failing_test_is_flaky_and_its_score_is_near_its_failure_rate()
    {
        var seq = new ScorerSequence().Flaky(0.15, 300);
        Assert.Equal(FlakinessLabel.Flaky, seq.Label);
        Assert.InRange(seq.Score, 0.06, 0.25);
        Assert.Contains(FlakinessLabel.Flaky, seq.Labels.Take(40));
    }

    [Fact]
    public void A_regression_is_flagged_by_its_second_hard_failure_and_cleared_by_the_fix()
    {
        var seq = new ScorerSequence().Runs(new string('P', 30) + "F");
        Assert.Equal(FlakinessLabel.Stable, seq.Label);
        seq.Runs("F");
        Assert.Equal(FlakinessLabel.Regression, seq.Label);
        Assert.Equal(FlakinessReason.ConsecutiveHardFailures, seq.Reason);
        seq.Runs(new string('F', 8));
        Assert.Equal(FlakinessLabel.Regression, seq.Label);
        seq.Runs("P");
        Assert.Equal(FlakinessLabel.Stable, seq.Label);
        Assert.Equal(FlakinessReason.Recovered, seq.Reason);
        Assert.Equal(0, seq.State.Failures); // the streak never fed the flakiness estimate
    }

    [Fact]
    public void Repeated_regressions_with_fixes_never_look_flaky()
    {
        var seq = new ScorerSequence();
        for (var i = 0; i < 6; i++) seq.Runs(new string('P', 25) + new string('F', 5 + i));
        seq.Runs("PPP");
        Assert.DoesNotContain(FlakinessLabel.Flaky, seq.Labels);
        Assert.DoesNotContain(FlakinessLabel.Suspected, seq.Labels);
        Assert.Equal(FlakinessLabel.Stable, seq.Label);
    }

    [Fact]
    public void Stale_failures_right_after_a_fix_are_the_regressions_tail_and_the_next_regression_is_still_caught_by_its_second_failure()
    {
        var seq = new ScorerSequence().Runs(new string('P', 20)).Runs("FFFF", Main).Runs("P", Main);
        Assert.Equal(FlakinessReason.Recovered, seq.Reason);
        // Branches still on the broken commits keep failing for a while; each such failure resolves on its own.
        seq.Runs("F", Feature).Runs("P", Feature).Runs("PPP", Main).Runs("F", Feature + 1).Runs("P", Feature + 1);
        Assert.Equal(0, seq.State.Failures);
        Assert.DoesNotContain(FlakinessLabel.Flaky, seq.Labels);
        seq.Runs(new string('P', 30), Main).Runs("F", Main);
        Assert.Equal(FlakinessLabel.Stable, seq.Label);
        seq.Runs("F", Main);
        Assert.Equal(FlakinessLabel.Regression, seq.Label);
    }

    [Fact]
    public void Two_hard_failures_in_a_row_leave_no_tail_so_the_failures_after_them_still_count()
    {
        var seq = new ScorerSequence().Runs(new string('P', 20)).Runs("FF");
        Assert.Equal(FlakinessLabel.Regression, seq.Label);
        seq.Runs("P").Runs("PPFP");
        Assert.True(seq.State.Failures > 0.5);
    }

    [Fact]
    public void Once_the_aftermath_of_a_fix_is_over_isolated_failures_count_again()
    {
        var seq = new ScorerSequence().Runs(new string('P', 20)).Runs("FFF").Runs("P");
        seq.Runs(new string('P', seq.Settings.RegressionAftermath)).Runs("FP");
        Assert.True(seq.State.Failures > 0.5);
    }

    [Fact]
    public void A_regression_on_a_feature_branch_is_not_hidden_by_passes_on_main()
    {
        var seq = new ScorerSequence().Runs(new string('P', 20));
        seq.Runs("F", Feature).Runs("PP", Main).Runs("F", Feature);
        Assert.Equal(FlakinessLabel.Regression, seq.Label);
        seq.Runs("P", Main);
        Assert.Equal(FlakinessLabel.Regression, seq.Label);
        seq.Runs("P", Feature);
        Assert.Equal(FlakinessReason.Recovered, seq.Reason);
        Assert.Equal(0, seq.State.Failures);
    }

    [Fact]
    public void A_regression_spreading_across_branches_is_not_hidden_by_branches_still_on_older_commits()
    {
        var seq = new ScorerSequence().Runs(new string('P', 20));
        seq.Runs("F", Main).Runs("P", Feature + 1).Runs("F", Feature);
        Assert.Equal(FlakinessLabel.Regression, seq.Label);
        Assert.Equal(0, seq.State.Failures);
    }

    [Fact]
    public void A_held_failure_is_counted_once_its_branch_has_not_run_for_too_long()
    {
        var seq = new ScorerSequence().Runs(new string('P', 20)).Runs("F", Feature);
        seq.Runs(new string('P', seq.Settings.HoldLimit), Main);
        Assert.Equal(0, seq.State.Failures);
        seq.Runs("P", Main);
        Assert.True(seq.State.Failures > 0.5);
    }

    [Fact]
    public void A_test_failing_every_run_becomes_broken()
    {
        var seq = new ScorerSequence().Runs("PP" + new string('F', 19));
        Assert.Equal(FlakinessLabel.Regression, seq.Label);
        seq.Runs("F");
        Assert.Equal(FlakinessLabel.Broken, seq.Label);
        Assert.Equal(FlakinessReason.FailingEveryRun, seq.Reason);
        Assert.Equal(FlakinessLabel.Regression, seq.Labels[3]);
    }

    [Fact]
    public void Failures_in_an_infrastructure_storm_do_not_feed_the_estimate()
    {
        var seq = new ScorerSequence().Runs(new string('P', 40));
        var before = seq.State;
        seq.Runs("FFFFF", runFailureFraction: 0.6, runSize: 200).Runs("FRF", runFailureFraction: 0.2, runSize: 20);
        Assert.Equal(FlakinessLabel.Stable, seq.Label);
        Assert.Equal(before.Failures, seq.State.Failures);
        Assert.Equal(before.Passes, seq.State.Passes);
        Assert.Equal(8, seq.State.InfraRuns);
        Assert.Equal(48, seq.State.TotalRuns);
    }

    [Fact]
    public void The_infrastructure_gate_ignores_small_suites()
    {
        var seq = new ScorerSequence().Runs(new string('P', 40)).Runs("FF", runFailureFraction: 0.5, runSize: 19);
        Assert.Equal(FlakinessLabel.Regression, seq.Label);
        Assert.Equal(0, seq.State.InfraRuns);
    }

    [Fact]
    public void A_pass_on_retry_makes_the_test_suspected_at_once_and_repeated_ones_flaky()
    {
        var seq = new ScorerSequence().Runs(new string('P', 10) + "R");
        Assert.Equal(FlakinessLabel.Suspected, seq.Label);
        Assert.Equal(FlakinessReason.PassedOnRetry, seq.Reason);
        Assert.Equal(1, seq.State.FlakyRuns);
        Assert.True(FlakinessScorer.IsFlakyEvidence(new ScorerInput(ResultKind.PassedOnRetry, 2, 9, Main, 0, 500), seq.State, seq.Settings));
        seq.Runs("PPPPPPPPPR");
        Assert.Equal(FlakinessLabel.Flaky, seq.Label);
        Assert.Equal(2, seq.State.FlakyRuns);
    }

    [Fact]
    public void Suspicion_lapses_when_no_further_evidence_arrives()
    {
        var seq = new ScorerSequence().Runs("R" + new string('P', 98));
        Assert.Equal(FlakinessLabel.Suspected, seq.Label);
        seq.Runs("PP");
        Assert.Equal(FlakinessLabel.Stable, seq.Label);
        Assert.Equal(FlakinessReason.Recovered, seq.Reason);
    }

    [Fact]
    public void A_pass_and_a_fail_on_the_same_commit_are_counted_once_for_that_commit()
    {
        var seq = new ScorerSequence().Runs(new string('P', 30));
        var fail = new ScorerInput(ResultKind.Failed, 1, 42, Main, 0.01, 500);
        seq.Run(ResultKind.Failed, 42);
        Assert.Equal(FlakinessLabel.Stable, seq.Label);
        Assert.True(FlakinessScorer.IsFlakyEvidence(new ScorerInput(ResultKind.Passed, 1, 42, Main, 0.01, 500), seq.State, seq.Settings));
        seq.Run(ResultKind.Passed, 42);
        Assert.Equal(FlakinessLabel.Suspected, seq.Label);
        Assert.Equal(FlakinessReason.SameCommitFlip, seq.Reason);
        Assert.False(FlakinessScorer.IsFlakyEvidence(fail, seq.State, seq.Settings));
        seq.Run(ResultKind.Failed, 42).Run(ResultKind.Passed, 42);
        Assert.Equal(1, seq.State.FlakyRuns);
    }

    [Fact]
    public void A_failure_on_a_commit_that_already_passed_counts_at_once_and_never_reads_as_a_regression()
    {
        var seq = new ScorerSequence().Runs(new string('P', 30));
        seq.Run(ResultKind.Passed, 42).Run(ResultKind.Failed, 42);
        Assert.Equal(FlakinessReason.SameCommitFlip, seq.Reason);
        Assert.InRange(seq.State.Failures, 0.99, 1.0);
        Assert.Equal(0, seq.State.StreakLength);
    }

    [Fact]
    public void An_old_flaky_period_fades()
    {
        var seq = new ScorerSequence().Flaky(0.2, 100);
        Assert.Equal(FlakinessLabel.Flaky, seq.Label);
        var flakyScore = seq.Score;
        seq.Runs(new string('P', 1000));
        Assert.Equal(FlakinessLabel.Stable, seq.Label);
        Assert.Equal(FlakinessReason.Recovered, seq.Reason);
        Assert.True(seq.Score < 0.005 && seq.Score < flakyScore / 20, $"score {seq.Score}");
        Assert.True(seq.State.Failures + seq.State.Passes < 1 / (1 - seq.Settings.Decay) + 1);
    }

    [Fact]
    public void Skipped_results_change_nothing()
    {
        var seq = new ScorerSequence().Runs("PPPF");
        var before = seq.State;
        seq.Runs("SSS");
        Assert.Equal(before, seq.State);
    }
}
