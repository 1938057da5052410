namespace Seismo.Domain.Flakiness;

/// <summary>Who made a test's current quarantine decision.</summary>
public enum QuarantineSource : byte { None, Automatic, Manual }

/// <summary>What a result or a person did to a test's quarantine.</summary>
public enum QuarantineChange : byte { None, Quarantined, Released }

/// <summary>A project's auto-quarantine setting, as it stood when the run was accepted.</summary>
public readonly record struct QuarantineRule(bool AutoEnabled, double Threshold)
{
    public static QuarantineRule Default { get; } = new(true, 0.3);
}

/// <summary>A test's quarantine memory: O(1), primitive fields, start from <c>default</c>.</summary>
public struct QuarantineState
{
    public bool IsQuarantined;
    public QuarantineSource Source;

    /// <summary>A person released the test: the automatic rule stays off until the test is next STABLE.</summary>
    public bool HeldOutByPerson;

    /// <summary>Consecutive clean runs an automatic quarantine needs before release, set from the score it entered with.</summary>
    public int CleanRunsNeeded;
    public int CleanRuns;
}

/// <summary>
/// Automatic quarantine: a FLAKY test whose score reaches the project's threshold is quarantined and released after
/// enough consecutive clean runs for the score it entered with. Manual decisions win: a test quarantined by a person
/// is only released by a person, and one released by a person is not quarantined again by the rule until it has
/// been STABLE.
/// </summary>
public static class QuarantinePolicy
{
    public const int MinCleanRuns = 5;
    public const int MaxCleanRuns = 300;

    /// <summary>
    /// Clean runs in a row that a test failing with probability <paramref name="score"/> would produce only 5% of
    /// the time: ceil(ln 0.05 / ln(1 − p)), bounded to [5, 300].
    /// </summary>
    public static int CleanRunsToRelease(double score)
    {
        // The formula grows without bound as p falls to 0 and shrinks to 1 as p reaches 1.
        if (double.IsNaN(score) || score <= 0) return MaxCleanRuns;
        if (score >= 1) return MinCleanRuns;
        var runs = Math.Ceiling(Math.Log(0.05) / Math.Log(1 - score));
        return (int)Math.Clamp(runs, MinCleanRuns, MaxCleanRuns);
    }

    /// <summary>Applies the rule after the scorer has seen <paramref name="input"/> and labelled the test.</summary>
    public static QuarantineChange AfterResult(ref QuarantineState q, in ScorerInput input, in FlakinessState scored,
        QuarantineRule rule, ScorerSettings settings)
    {
        if (input.Kind == ResultKind.Skipped) return QuarantineChange.None;
        if (scored.Label == FlakinessLabel.Stable) q.HeldOutByPerson = false;
        if (q.IsQuarantined)
        {
            if (q.Source != QuarantineSource.Automatic) return QuarantineChange.None;
            // A storm is not the test's fault, nor is it a clean run.
            if (FlakinessScorer.IsInfrastructureRun(input, settings)) return QuarantineChange.None;
            q.CleanRuns = input.Kind == ResultKind.Passed ? q.CleanRuns + 1 : 0;
            if (q.CleanRuns < q.CleanRunsNeeded) return QuarantineChange.None;
            q = q with { IsQuarantined = false, CleanRuns = 0, CleanRunsNeeded = 0 };
            return QuarantineChange.Released;
        }
        var score = FlakinessScorer.Score(scored, settings);
        if (!rule.AutoEnabled || q.HeldOutByPerson || scored.Label != FlakinessLabel.Flaky || score < rule.Threshold)
            return QuarantineChange.None;
        q = new QuarantineState
        {
            IsQuarantined = true,
            Source = QuarantineSource.Automatic,
            CleanRunsNeeded = CleanRunsToRelease(score),
        };
        return QuarantineChange.Quarantined;
    }

    /// <summary>A person quarantines or releases the test.</summary>
    public static QuarantineChange SetByPerson(ref QuarantineState q, bool quarantined)
    {
        var change = q.IsQuarantined == quarantined ? QuarantineChange.None
            : quarantined ? QuarantineChange.Quarantined : QuarantineChange.Released;
        q = new QuarantineState { IsQuarantined = quarantined, Source = QuarantineSource.Manual, HeldOutByPerson = !quarantined };
        return change;
    }
}
