namespace Seismo.Domain.Flakiness;

/// <summary>
/// Scores one test from its results, fed once per result in run order. O(1) time and state, no allocation.
/// Failures feed a decayed Beta–Binomial estimate only once they look isolated; hard-failure streaks go to a
/// Bernoulli CUSUM instead, so a regression and its fix never read as flakiness.
/// </summary>
public static class FlakinessScorer
{
    public static void Update(ref FlakinessState state, in ScorerInput input, ScorerSettings settings)
    {
        if (input.Kind == ResultKind.Skipped) return;
        state.TotalRuns++;
        if (IsInfrastructureRun(input, settings))
        {
            // A storm says nothing about this test; it must not feed the estimate, the streak or the commit memory.
            state.InfraRuns++;
            return;
        }

        var sameCommitFlip = RecordCommitOutcome(ref state, input);
        if (input.Kind == ResultKind.Failed)
        {
            // The same code passed before, so this failure cannot be a code regression: count it at once.
            if (sameCommitFlip) CountResult(ref state, failed: true, count: 1, settings);
            else ExtendStreak(ref state, input.BranchHash, settings);
        }
        else
        {
            ResolveStreak(ref state, input.BranchHash, settings);
            // A pass on retry means the first attempt failed: that is an observation of the failure probability.
            CountResult(ref state, failed: input.Kind == ResultKind.PassedOnRetry, count: 1, settings);
        }

        if (input.Kind == ResultKind.PassedOnRetry || sameCommitFlip)
        {
            state.FlakyRuns++;
            state.LastFlakyRunSequence = state.TotalRuns;
            state.LastEvidence = input.Kind == ResultKind.PassedOnRetry ? FlakinessReason.PassedOnRetry : FlakinessReason.SameCommitFlip;
        }
        Relabel(ref state, settings);
    }

    /// <summary>Posterior mean of the failure probability while the code is good, 0..1.</summary>
    public static double Score(in FlakinessState state, ScorerSettings s) =>
        (s.Alpha0 + state.Failures) / (s.Alpha0 + s.Beta0 + state.Failures + state.Passes);

    /// <summary>P(p &gt; <see cref="ScorerSettings.ConfidenceFloor"/>) under the Beta posterior.</summary>
    public static double Confidence(in FlakinessState state, ScorerSettings s) =>
        1 - BetaDistribution.Cdf(s.ConfidenceFloor, s.Alpha0 + state.Failures, s.Beta0 + state.Passes);

    /// <summary>Whether this result, applied to <paramref name="state"/>, is confirming evidence (counts in FlakyRuns).</summary>
    public static bool IsFlakyEvidence(in ScorerInput input, in FlakinessState state, ScorerSettings settings)
    {
        if (input.Kind == ResultKind.Skipped || IsInfrastructureRun(input, settings)) return false;
        if (input.Kind == ResultKind.PassedOnRetry) return true;
        var bits = input.CommitHash == 0 ? (byte)0
            : input.CommitHash == state.RecentCommit ? state.RecentCommitBits
            : input.CommitHash == state.OlderCommit ? state.OlderCommitBits : (byte)0;
        return FlipsCommit(bits, input.Kind);
    }

    public static bool IsInfrastructureRun(in ScorerInput input, ScorerSettings s) =>
        input.RunSize >= s.InfraMinSuiteSize && input.RunFailureFraction >= s.InfraFailureFraction;

    private static bool FlipsCommit(byte bits, ResultKind kind)
    {
        if ((bits & CommitBits.FlipCounted) != 0) return false;
        var opposite = kind == ResultKind.Failed ? CommitBits.Passed : CommitBits.Failed;
        return (bits & opposite) != 0;
    }

    /// <summary>Marks the outcome against its commit; true when it is the first pass/fail flip on that commit.</summary>
    private static bool RecordCommitOutcome(ref FlakinessState s, in ScorerInput input)
    {
        if (input.CommitHash == 0) return false;
        if (input.CommitHash != s.RecentCommit)
        {
            if (input.CommitHash == s.OlderCommit)
            {
                (s.OlderCommit, s.RecentCommit) = (s.RecentCommit, s.OlderCommit);
                (s.OlderCommitBits, s.RecentCommitBits) = (s.RecentCommitBits, s.OlderCommitBits);
            }
            else
            {
                (s.OlderCommit, s.OlderCommitBits) = (s.RecentCommit, s.RecentCommitBits);
                (s.RecentCommit, s.RecentCommitBits) = (input.CommitHash, 0);
            }
        }
        var flip = FlipsCommit(s.RecentCommitBits, input.Kind);
        // A pass on retry is itself the evidence, so it marks the commit as passed only.
        s.RecentCommitBits |= input.Kind == ResultKind.Failed ? CommitBits.Failed : CommitBits.Passed;
        if (flip) s.RecentCommitBits |= CommitBits.FlipCounted;
        return flip;
    }

    private static void ExtendStreak(ref FlakinessState s, ulong branch, ScorerSettings settings)
    {
        if (s.StreakLength == 0)
        {
            s.StreakEvidence = 0;
            s.Flags &= unchecked((byte)~StateFlags.RegressionFlagged);
        }
        // Follow the latest failure: a breaking change spreads to other branches as they take new commits,
        // while branches still on older commits keep passing.
        s.StreakBranch = branch;
        s.StreakAge = 0;
        s.StreakLength++;
        // Bernoulli CUSUM: each hard failure adds ln(p1/p0), p0 being the test's own in-control estimate,
        // so a known-flaky test needs a longer streak than a stable one before it counts as regressed.
        var p0 = Math.Max(Score(s, settings), settings.CusumFloorProbability);
        s.StreakEvidence += Math.Log(settings.RegressionFailureProbability / p0);
        if (s.StreakEvidence >= settings.CusumThreshold) s.Flags |= StateFlags.RegressionFlagged;
    }

    /// <summary>
    /// A pass ends the streak if it is on the branch of the latest failure (or the streak has waited too long).
    /// Failures of a streak that never tripped the CUSUM were isolated after all and now feed the estimate, unless
    /// they came soon after a regression was fixed (its tail); a regression's failures are dropped. The CUSUM restarts from zero: a pass after a regression means a fix.
    /// </summary>
    private static void ResolveStreak(ref FlakinessState s, ulong branch, ScorerSettings settings)
    {
        if (s.StreakLength == 0) return;
        var ends = branch == s.StreakBranch || ++s.StreakAge > settings.HoldLimit;
        if (!ends) return;
        if ((s.Flags & StateFlags.RegressionFlagged) != 0)
        {
            if (s.StreakLength >= settings.RegressionAftermathMinStreak) s.RegressionFixedAt = s.TotalRuns;
        }
        else if (s.RegressionFixedAt == 0 || s.TotalRuns - s.RegressionFixedAt > settings.RegressionAftermath)
            CountResult(ref s, failed: true, s.StreakLength, settings);
        s.StreakLength = 0;
        s.StreakAge = 0;
        s.StreakEvidence = 0;
        s.Flags &= unchecked((byte)~StateFlags.RegressionFlagged);
    }

    /// <summary>Feeds <paramref name="count"/> identical results to the decayed estimate and the flip counter.</summary>
    private static void CountResult(ref FlakinessState s, bool failed, int count, ScorerSettings settings)
    {
        var d = settings.Decay;
        var kept = count == 1 ? d : Math.Pow(d, count);
        // Sum of d^i for i < count: the decayed weight of count results added one after another.
        var added = count == 1 ? 1 : (1 - kept) / (1 - d);
        if (failed) { s.Failures = s.Failures * kept + added; s.Passes *= kept; }
        else { s.Passes = s.Passes * kept + added; s.Failures *= kept; }
        s.Flips *= kept;
        var last = (s.Flags & StateFlags.LastCountedFailed) != 0;
        if ((s.Flags & StateFlags.HasCountedResult) != 0 && last != failed) s.Flips += 1;
        s.Flags |= StateFlags.HasCountedResult;
        if (failed) s.Flags |= StateFlags.LastCountedFailed;
        else s.Flags &= unchecked((byte)~StateFlags.LastCountedFailed);
    }

    /// <summary>
    /// Independent failures with rate p flip about 2p(1−p) times per result; far fewer flips mean the failures
    /// came in blocks (a regression, then a fix), which is not flakiness.
    /// </summary>
    internal static bool IsClustered(in FlakinessState s, ScorerSettings settings)
    {
        var n = s.Failures + s.Passes;
        if (n <= 0) return false;
        var p = s.Failures / n;
        var expected = 2 * p * (1 - p) * n;
        return expected >= settings.MinExpectedFlips && s.Flips < settings.ClusteredFlipRatio * expected;
    }

    private static bool EstimateSaysFlaky(in FlakinessState s, ScorerSettings settings, bool alreadyFlaky)
    {
        if (s.Failures < settings.MinFailureWeight || Score(s, settings) < settings.FlakyThreshold) return false;
        var needed = alreadyFlaky ? settings.FlakyExitConfidence : settings.FlakyEnterConfidence;
        return Confidence(s, settings) >= needed;
    }

    private static void Relabel(ref FlakinessState s, ScorerSettings settings)
    {
        var old = s.Label;
        if (s.StreakLength >= settings.BrokenAfterFailures)
        {
            Set(ref s, FlakinessLabel.Broken, FlakinessReason.FailingEveryRun);
            return;
        }
        if ((s.Flags & StateFlags.RegressionFlagged) != 0)
        {
            Set(ref s, FlakinessLabel.Regression, FlakinessReason.ConsecutiveHardFailures);
            return;
        }
        var clustered = IsClustered(s, settings);
        var suspected = s.FlakyRuns > 0 && s.TotalRuns - s.LastFlakyRunSequence < settings.SuspicionWindow;
        if (!clustered && EstimateSaysFlaky(s, settings, old == FlakinessLabel.Flaky))
            Set(ref s, FlakinessLabel.Flaky, FlakinessReason.FailureRateAboveThreshold);
        else if (suspected)
            Set(ref s, FlakinessLabel.Suspected, s.LastEvidence);
        else if (clustered)
            Set(ref s, FlakinessLabel.Stable, FlakinessReason.ClusteredFailures);
        else if (old != FlakinessLabel.Stable)
            Set(ref s, FlakinessLabel.Stable, FlakinessReason.Recovered);
    }

    private static void Set(ref FlakinessState s, FlakinessLabel label, FlakinessReason reason)
    {
        s.Label = label;
        s.Reason = reason;
    }
}
