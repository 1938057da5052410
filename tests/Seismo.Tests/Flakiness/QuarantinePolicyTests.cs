using Seismo.Domain.Flakiness;

namespace Seismo.Tests.Flakiness;

/// <summary>Automatic quarantine and release, and a person's decisions winning over the rule.</summary>
public class QuarantinePolicyTests
{
    private static readonly ScorerSettings Settings = ScorerSettings.Default;
    private static readonly QuarantineRule Rule = new(AutoEnabled: true, Threshold: 0.1);

    /// <summary>One test: the scorer and the quarantine rule fed together, as the test grain does.</summary>
    private sealed class Test(QuarantineRule rule)
    {
        public FlakinessState Scored;
        public QuarantineState Quarantine;
        public List<QuarantineChange> Changes { get; } = [];
        private ulong _commit = 100;

        public Test Runs(string outcomes, double runFailureFraction = 0.01)
        {
            foreach (var c in outcomes)
            {
                var input = new ScorerInput(ScorerSequence.Kind(c), c == 'P' ? 1 : 2, _commit++, 1, runFailureFraction, 500);
                FlakinessScorer.Update(ref Scored, input, Settings);
                Changes.Add(QuarantinePolicy.AfterResult(ref Quarantine, input, Scored, rule, Settings));
            }
            return this;
        }

        /// <summary>Fails every third run until the rule quarantines the test.</summary>
        public Test UntilQuarantined()
        {
            for (var i = 0; i < 300 && !Quarantine.IsQuarantined; i++) Runs(i % 3 == 2 ? "F" : "P");
            Assert.True(Quarantine.IsQuarantined, "a test failing a third of its runs must be quarantined");
            return this;
        }
    }

    [Fact]
    public void A_flaky_test_over_the_threshold_is_quarantined_once()
    {
        var test = new Test(Rule).UntilQuarantined();
        Assert.Equal(FlakinessLabel.Flaky, test.Scored.Label);
        Assert.Equal(QuarantineSource.Automatic, test.Quarantine.Source);
        Assert.Single(test.Changes, c => c == QuarantineChange.Quarantined);
        Assert.Equal(QuarantinePolicy.CleanRunsToRelease(FlakinessScorer.Score(test.Scored, Settings)), test.Quarantine.CleanRunsNeeded);
    }

    [Fact]
    public void Nothing_is_quarantined_when_the_rule_is_off_or_the_score_is_under_the_threshold()
    {
        var off = new Test(Rule with { AutoEnabled = false }).Runs(string.Concat(Enumerable.Repeat("PPF", 60)));
        Assert.Equal(FlakinessLabel.Flaky, off.Scored.Label);
        Assert.False(off.Quarantine.IsQuarantined);

        var high = new Test(Rule with { Threshold = 0.9 }).Runs(string.Concat(Enumerable.Repeat("PPF", 60)));
        Assert.Equal(FlakinessLabel.Flaky, high.Scored.Label);
        Assert.False(high.Quarantine.IsQuarantined);
    }

    [Fact]
    public void Release_needs_the_clean_runs_for_the_entry_score_in_a_row()
    {
        var test = new Test(Rule).UntilQuarantined();
        var needed = test.Quarantine.CleanRunsNeeded;
        test.Runs(new string('P', needed - 1));
        Assert.True(test.Quarantine.IsQuarantined);
        test.Runs("R"); // a pass on retry is not clean: the count starts again
        Assert.Equal(0, test.Quarantine.CleanRuns);
        test.Runs(new string('P', needed - 1));
        Assert.True(test.Quarantine.IsQuarantined);
        test.Runs("P");
        Assert.False(test.Quarantine.IsQuarantined);
        Assert.Equal(QuarantineChange.Released, test.Changes[^1]);
    }

    [Fact]
    public void Infrastructure_storms_and_skips_neither_count_as_clean_nor_reset_the_count()
    {
        var test = new Test(Rule).UntilQuarantined();
        test.Runs("PP");
        test.Runs("F", runFailureFraction: 0.6);
        test.Runs("S");
        Assert.Equal(2, test.Quarantine.CleanRuns);
    }

    [Fact]
    public void A_person_who_quarantines_a_test_is_the_only_one_who_releases_it()
    {
        var test = new Test(Rule).Runs("PPPP");
        Assert.Equal(QuarantineChange.Quarantined, QuarantinePolicy.SetByPerson(ref test.Quarantine, true));
        test.Runs(new string('P', QuarantinePolicy.MaxCleanRuns + 10));
        Assert.True(test.Quarantine.IsQuarantined);
        Assert.Equal(QuarantineSource.Manual, test.Quarantine.Source);
        Assert.Equal(QuarantineChange.None, QuarantinePolicy.SetByPerson(ref test.Quarantine, true));
        Assert.Equal(QuarantineChange.Released, QuarantinePolicy.SetByPerson(ref test.Quarantine, false));
    }

    [Fact]
    public void A_person_who_releases_a_flaky_test_keeps_the_rule_off_until_the_test_is_stable_again()
    {
        var test = new Test(Rule).UntilQuarantined();
        QuarantinePolicy.SetByPerson(ref test.Quarantine, false);
        test.Runs(string.Concat(Enumerable.Repeat("PPF", 10)));
        Assert.Equal(FlakinessLabel.Flaky, test.Scored.Label);
        Assert.False(test.Quarantine.IsQuarantined);

        // Long enough clean history makes the test STABLE; a new flaky episode is the rule's to judge again.
        for (var i = 0; i < 2000 && test.Scored.Label != FlakinessLabel.Stable; i++) test.Runs("P");
        Assert.Equal(FlakinessLabel.Stable, test.Scored.Label);
        test.UntilQuarantined();
        Assert.Equal(QuarantineSource.Automatic, test.Quarantine.Source);
    }

    [Theory]
    [InlineData(0.3, 9)]
    [InlineData(0.05, 59)]
    [InlineData(0.9, 5)]
    [InlineData(0.001, 300)]
    public void Clean_runs_to_release_follow_ln_005_over_ln_1_minus_p(double score, int expected) =>
        Assert.Equal(expected, QuarantinePolicy.CleanRunsToRelease(score));
}
