namespace Seismo.Grains;

/// <summary>Payload of <c>run.completed</c> and <c>run.failed</c>.</summary>
/// <param name="InfrastructureIncident">A large share of the suite failed: the scorer ignored this run.</param>
[GenerateSerializer, Immutable]
public sealed record RunEventData(
    [property: Id(0)] string RunId,
    [property: Id(1)] Guid ProjectId,
    [property: Id(2)] string Status,
    [property: Id(3)] int TotalTests,
    [property: Id(4)] int PassedTests,
    [property: Id(5)] int FailedTests,
    [property: Id(6)] int SkippedTests,
    [property: Id(7)] int FlakyTests,
    [property: Id(8)] double PassRate,
    [property: Id(9)] long? Duration,
    [property: Id(10)] string? Branch,
    [property: Id(11)] string? CommitSha,
    [property: Id(12)] bool InfrastructureIncident);

/// <summary>Payload of <c>test.status_changed</c>: the scorer moved the test from one label to another.</summary>
[GenerateSerializer, Immutable]
public sealed record TestStatusEventData(
    [property: Id(0)] string TestId,
    [property: Id(1)] Guid ProjectId,
    [property: Id(2)] string TestTitle,
    [property: Id(3)] string? FilePath,
    [property: Id(4)] string OldLabel,
    [property: Id(5)] string NewLabel,
    [property: Id(6)] string Reason,
    [property: Id(7)] double FlakinessScore,
    [property: Id(8)] string? RunId);

/// <summary>Payload of <c>test.quarantined</c> and <c>test.unquarantined</c>.</summary>
/// <param name="Automatic">Decided by the project's auto-quarantine rule rather than by a person.</param>
/// <param name="By">Who decided: the key's name for a manual decision, "auto" otherwise.</param>
[GenerateSerializer, Immutable]
public sealed record TestQuarantineEventData(
    [property: Id(0)] string TestId,
    [property: Id(1)] Guid ProjectId,
    [property: Id(2)] string TestTitle,
    [property: Id(3)] string? FilePath,
    [property: Id(4)] bool IsQuarantined,
    [property: Id(5)] bool Automatic,
    [property: Id(6)] string By,
    [property: Id(7)] double FlakinessScore,
    [property: Id(8)] string? RunId);
