namespace Seismo.Grains;

/// <summary>One entry of a test's history ring.</summary>
[GenerateSerializer, Immutable]
public sealed record TestExecution(
    [property: Id(0)] long Sequence,
    [property: Id(1)] Guid RunGuid,
    [property: Id(2)] string RunId,
    [property: Id(3)] int ResultIndex,
    [property: Id(4)] TestStatus Status,
    [property: Id(5)] double DurationMs,
    [property: Id(6)] int Attempts,
    [property: Id(7)] string? Branch,
    [property: Id(8)] string? CommitSha,
    [property: Id(9)] DateTimeOffset CreatedAt,
    [property: Id(10)] string? Message);

/// <summary>What a test grain receives for one run: the result and the run context the scorer needs.</summary>
[GenerateSerializer, Immutable]
public sealed record TestApplication(
    [property: Id(0)] TestExecution Execution,
    [property: Id(1)] TestResult Result,
    [property: Id(2)] double RunFailureFraction,
    [property: Id(3)] int RunSize,
    [property: Id(4)] ProjectRules Rules);

/// <summary>The live state of a test, as queries see it.</summary>
[GenerateSerializer, Immutable]
public sealed record TestView(
    [property: Id(0)] string TestId,
    [property: Id(1)] Guid ProjectId,
    [property: Id(2)] string Key,
    [property: Id(3)] string Title,
    [property: Id(4)] string? FullTitle,
    [property: Id(5)] string? FilePath,
    [property: Id(6)] int? Line,
    [property: Id(7)] long TotalRuns,
    [property: Id(8)] long Passed,
    [property: Id(9)] long Failed,
    [property: Id(10)] long Skipped,
    [property: Id(11)] long Flaky,
    [property: Id(12)] bool IsQuarantined,
    [property: Id(13)] TestExecution? Latest,
    [property: Id(14)] TestExecution[] History,
    [property: Id(15)] FlakinessView Flakiness,
    [property: Id(16)] QuarantineView Quarantine,
    [property: Id(17)] double?[]? HistoryScores = null);

/// <summary>A test's quarantine: who decided it and, for an automatic one, how far it is from release.</summary>
[GenerateSerializer, Immutable]
public sealed record QuarantineView(
    [property: Id(0)] bool IsQuarantined,
    [property: Id(1)] bool Automatic,
    [property: Id(2)] string? DecidedBy,
    [property: Id(3)] DateTimeOffset? UpdatedAt,
    [property: Id(4)] int CleanRuns,
    [property: Id(5)] int CleanRunsNeeded);

/// <summary>The flakiness scorer's view of a test: score 0..1, confidence that p exceeds 1%, label and its reason.</summary>
[GenerateSerializer, Immutable]
public sealed record FlakinessView(
    [property: Id(0)] double Score,
    [property: Id(1)] double Confidence,
    [property: Id(2)] string Label,
    [property: Id(3)] string Reason,
    [property: Id(4)] int FlakyRuns,
    [property: Id(5)] DateTimeOffset? LastFlakyAt);

/// <summary>A row of a project's test catalogue: enough to list, filter and search without touching test grains.</summary>
[GenerateSerializer]
public sealed record TestSummary(
    [property: Id(0)] string TestId,
    [property: Id(1)] string Key,
    [property: Id(2)] string Title,
    [property: Id(3)] string? FilePath,
    [property: Id(4)] TestStatus LastStatus,
    [property: Id(5)] double LastDurationMs,
    [property: Id(6)] string LastRunId,
    [property: Id(7)] int LastResultIndex,
    [property: Id(8)] DateTimeOffset LastRunAt,
    [property: Id(9)] long TotalRuns,
    [property: Id(10)] bool IsQuarantined,
    [property: Id(11)] string? FullTitle,
    [property: Id(12)] double FlakinessScore,
    [property: Id(13)] TestLabel Label);

[GenerateSerializer, Immutable]
public sealed record Page<T>(
    [property: Id(0)] T[] Items,
    [property: Id(1)] long Total);
