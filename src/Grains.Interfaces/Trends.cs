namespace Seismo.Grains;

/// <summary>A project's daily run and result counts and its most failing tests, kept on write.</summary>
[GenerateSerializer, Immutable]
public sealed record ProjectTrendsView(
    [property: Id(0)] TrendDay[] Days,
    [property: Id(1)] FailingTest[] TopFailing);

/// <summary>One UTC day of a project: runs, results by outcome and the runs' summed duration.</summary>
[GenerateSerializer, Immutable]
public sealed record TrendDay(
    [property: Id(0)] int DayNumber,
    [property: Id(1)] int Runs,
    [property: Id(2)] int FailedRuns,
    [property: Id(3)] long Passed,
    [property: Id(4)] long Failed,
    [property: Id(5)] long Skipped,
    [property: Id(6)] long Flaky,
    [property: Id(7)] long DurationMs);

/// <summary>A test by how often it failed (failed or error), with its last failure.</summary>
[GenerateSerializer, Immutable]
public sealed record FailingTest(
    [property: Id(0)] string KeyHash,
    [property: Id(1)] string Title,
    [property: Id(2)] string? FilePath,
    [property: Id(3)] long Failures,
    [property: Id(4)] long TotalRuns,
    [property: Id(5)] DateTimeOffset LastFailedAt,
    [property: Id(6)] string LastRunId,
    [property: Id(7)] string? LastMessage);
