namespace Seismo.Domain.Flakiness;

/// <summary>
/// Everything the scorer remembers about one test: O(1), primitive public fields only, so a grain can copy
/// it field by field into its persisted state. Start from <c>default</c>.
/// </summary>
public struct FlakinessState
{
    /// <summary>Decayed failures and passes that fed the Beta posterior (the prior is added when read).</summary>
    public double Failures;
    public double Passes;

    /// <summary>Decayed pass/fail changes between consecutive counted results (the clustering guard).</summary>
    public double Flips;

    /// <summary>CUSUM log-likelihood ratio of the current hard-failure streak.</summary>
    public double StreakEvidence;

    /// <summary>Branch of the streak's latest failure; passes on other branches do not end the streak.</summary>
    public ulong StreakBranch;

    /// <summary>Hard failures in the current streak; they are held out of the estimate until it resolves.</summary>
    public int StreakLength;

    /// <summary>Passes on other branches since the streak's latest failure.</summary>
    public int StreakAge;

    /// <summary>The two most recent commits with <see cref="CommitBits"/> each, to spot same-commit flips.</summary>
    public ulong RecentCommit;
    public ulong OlderCommit;
    public byte RecentCommitBits;
    public byte OlderCommitBits;

    /// <summary>See <see cref="StateFlags"/>.</summary>
    public byte Flags;

    public FlakinessLabel Label;
    public FlakinessReason Reason;

    /// <summary>The kind of the latest confirming evidence (PassedOnRetry or SameCommitFlip).</summary>
    public FlakinessReason LastEvidence;

    /// <summary>Results seen, skipped ones excluded (infrastructure-gated ones included).</summary>
    public int TotalRuns;

    /// <summary>Results that were confirming evidence of flakiness.</summary>
    public int FlakyRuns;

    /// <summary>Results ignored because their run looked like an infrastructure incident.</summary>
    public int InfraRuns;

    /// <summary>Value of <see cref="TotalRuns"/> at the latest confirming evidence.</summary>
    public long LastFlakyRunSequence;

    /// <summary>Value of <see cref="TotalRuns"/> when the latest regression was fixed (0: never).</summary>
    public int RegressionFixedAt;
}

internal static class StateFlags
{
    public const byte RegressionFlagged = 2;
    public const byte HasCountedResult = 4;
    public const byte LastCountedFailed = 8;
}

internal static class CommitBits
{
    public const byte Passed = 1;
    public const byte Failed = 2;
    public const byte FlipCounted = 4;
}
