using Seismo.Domain.Flakiness;

namespace Seismo.Grains.Tests;

/// <summary>
/// The scorer's state as Orleans stores it. The scorer lives in the domain assembly, which knows nothing of Orleans,
/// so its struct is copied field by field through this surrogate.
/// </summary>
[GenerateSerializer]
public struct FlakinessStateSurrogate
{
    [Id(0)] public double Failures;
    [Id(1)] public double Passes;
    [Id(2)] public double Flips;
    [Id(3)] public double StreakEvidence;
    [Id(4)] public ulong StreakBranch;
    [Id(5)] public int StreakLength;
    [Id(6)] public int StreakAge;
    [Id(7)] public ulong RecentCommit;
    [Id(8)] public ulong OlderCommit;
    [Id(9)] public byte RecentCommitBits;
    [Id(10)] public byte OlderCommitBits;
    [Id(11)] public byte Flags;
    [Id(12)] public FlakinessLabel Label;
    [Id(13)] public FlakinessReason Reason;
    [Id(14)] public FlakinessReason LastEvidence;
    [Id(15)] public int TotalRuns;
    [Id(16)] public int FlakyRuns;
    [Id(17)] public int InfraRuns;
    [Id(18)] public long LastFlakyRunSequence;
    [Id(19)] public int RegressionFixedAt;
}

[RegisterConverter]
public sealed class FlakinessStateConverter : IConverter<FlakinessState, FlakinessStateSurrogate>
{
    public FlakinessState ConvertFromSurrogate(in FlakinessStateSurrogate s) => new()
    {
        Failures = s.Failures, Passes = s.Passes, Flips = s.Flips, StreakEvidence = s.StreakEvidence, StreakBranch = s.StreakBranch,
        StreakLength = s.StreakLength, StreakAge = s.StreakAge, RecentCommit = s.RecentCommit, OlderCommit = s.OlderCommit,
        RecentCommitBits = s.RecentCommitBits, OlderCommitBits = s.OlderCommitBits, Flags = s.Flags, Label = s.Label, Reason = s.Reason,
        LastEvidence = s.LastEvidence, TotalRuns = s.TotalRuns, FlakyRuns = s.FlakyRuns, InfraRuns = s.InfraRuns,
        LastFlakyRunSequence = s.LastFlakyRunSequence, RegressionFixedAt = s.RegressionFixedAt,
    };

    public FlakinessStateSurrogate ConvertToSurrogate(in FlakinessState v) => new()
    {
        Failures = v.Failures, Passes = v.Passes, Flips = v.Flips, StreakEvidence = v.StreakEvidence, StreakBranch = v.StreakBranch,
        StreakLength = v.StreakLength, StreakAge = v.StreakAge, RecentCommit = v.RecentCommit, OlderCommit = v.OlderCommit,
        RecentCommitBits = v.RecentCommitBits, OlderCommitBits = v.OlderCommitBits, Flags = v.Flags, Label = v.Label, Reason = v.Reason,
        LastEvidence = v.LastEvidence, TotalRuns = v.TotalRuns, FlakyRuns = v.FlakyRuns, InfraRuns = v.InfraRuns,
        LastFlakyRunSequence = v.LastFlakyRunSequence, RegressionFixedAt = v.RegressionFixedAt,
    };
}
