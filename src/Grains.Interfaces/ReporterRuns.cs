namespace Seismo.Grains;

/// <summary>
/// What a test reporter (the Euriqa API) says about its run beyond the CI context: kept with the run's metadata and
/// returned as given. <see cref="Stats"/> are the counts the reporter patched in; <see cref="FinalStatus"/> the status
/// it closed the run with (it wins over the status derived from the results).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ReporterRunFields(
    [property: Id(0)] string? CommitMessage,
    [property: Id(1)] string? CommitAuthor,
    [property: Id(2)] string? PlaywrightVersion,
    [property: Id(3)] int? Workers,
    [property: Id(4)] int? ShardCurrent,
    [property: Id(5)] int? ShardTotal,
    [property: Id(6)] string? Browser,
    [property: Id(7)] string? Os,
    [property: Id(8)] string? Viewport,
    [property: Id(9)] string? Hostname,
    [property: Id(10)] string? RunTitle,
    [property: Id(11)] string[] GrepPatterns,
    [property: Id(12)] ReportedStats? Stats,
    [property: Id(13)] string? FinalStatus,
    [property: Id(14)] DateTimeOffset UpdatedAt);

/// <summary>Run statistics as the reporter counted them (PATCH /api/runs/{id}); each null when not given.</summary>
[GenerateSerializer, Immutable]
public sealed record ReportedStats(
    [property: Id(0)] int? Total,
    [property: Id(1)] int? Passed,
    [property: Id(2)] int? Failed,
    [property: Id(3)] int? Skipped,
    [property: Id(4)] int? Flaky);

/// <summary>A PATCH of a reporter's run: any of status, statistics and duration.</summary>
[GenerateSerializer, Immutable]
public sealed record RunUpdate(
    [property: Id(0)] string? Status,
    [property: Id(1)] ReportedStats Stats,
    [property: Id(2)] long? DurationMs);

/// <summary>
/// A reporter's run as it stands: <see cref="Summary"/> has sequence 0 while the run is open (running) or was
/// cancelled, i.e. while it is not in the run log.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ReporterRunView(
    [property: Id(0)] RunSummary Summary,
    [property: Id(1)] int ResultCount);

public enum RunUpdateStatus : byte { Updated, NotFound }

/// <summary>The run after a PATCH; <see cref="Completed"/> is set once, by the PATCH that stored the run.</summary>
[GenerateSerializer, Immutable]
public sealed record RunUpdateOutcome(
    [property: Id(0)] RunUpdateStatus Status,
    [property: Id(1)] ReporterRunView? Run,
    [property: Id(2)] AcceptedRun? Completed);

/// <summary>What a reporter says about one test beyond the core result: kept with the run, shown by the detail and steps routes.</summary>
[GenerateSerializer, Immutable]
public sealed record ResultDetail(
    [property: Id(0)] int Retries,
    [property: Id(1)] int Attempt,
    [property: Id(2)] bool IsFlaky,
    [property: Id(3)] string[] Tags,
    [property: Id(4)] string? AnnotationsJson,
    [property: Id(5)] string? ErrorExpected,
    [property: Id(6)] string? ErrorActual,
    [property: Id(7)] string? StepsJson,
    [property: Id(8)] string? Stdout,
    [property: Id(9)] string? Stderr,
    [property: Id(10)] DateTimeOffset CreatedAt);

/// <summary>One test result posted to an open run.</summary>
[GenerateSerializer, Immutable]
public sealed record ReportedResult(
    [property: Id(0)] TestResult Result,
    [property: Id(1)] ResultDetail Detail);

public enum ReportStatus : byte { Accepted, RunNotFound, RunClosed }

/// <summary>Where a posted result went: its slot in the run (one per test; a second post of a test folds into it).</summary>
[GenerateSerializer, Immutable]
public sealed record ReportOutcome(
    [property: Id(0)] ReportStatus Status,
    [property: Id(1)] int Index,
    [property: Id(2)] TestStatus FoldedStatus);

[GenerateSerializer, Immutable]
public sealed record SuiteRecord(
    [property: Id(0)] string Id,
    [property: Id(1)] string Title,
    [property: Id(2)] string? FilePath,
    [property: Id(3)] string? ParentSuiteId,
    [property: Id(4)] DateTimeOffset CreatedAt);

public enum SuiteStatus : byte { Saved, RunNotFound, ParentNotFound, ParentCycle }

[GenerateSerializer, Immutable]
public sealed record SuiteOutcome(
    [property: Id(0)] SuiteStatus Status,
    [property: Id(1)] SuiteRecord? Suite);

/// <summary>
/// A run reported test by test (the Euriqa API), keyed by its run id. Results of an open run are buffered here and
/// written behind in batches; the run enters the run log, and reaches the scorer, once, when it is closed as
/// passed or failed. A cancelled run stays here, out of the log and out of every test's history.
/// </summary>
public interface IReporterRunGrain : IGrainWithGuidKey
{
    Task<ReporterRunView> CreateAsync(RunMetadata metadata);

    Task<ReporterRunView?> GetAsync();

    Task<RunUpdateOutcome> UpdateAsync(RunUpdate update);

    /// <summary>Adds a result to the open run; a run of another project than <paramref name="projectId"/> is not found.</summary>
    Task<ReportOutcome> ReportAsync(Guid projectId, ReportedResult result);

    Task<TestResult[]> GetResultsAsync();

    Task<ResultDetail?> GetDetailAsync(int index);

    Task<SuiteOutcome> UpsertSuiteAsync(string title, string? filePath, string? parentSuiteId);

    Task<SuiteRecord[]> ListSuitesAsync();

    /// <summary>Forgets the run (its results, details and suites); the run log is the project's business.</summary>
    Task ClearAsync();
}

/// <summary>One request's verdict from a rate-limit bucket.</summary>
[GenerateSerializer, Immutable]
public sealed record RateDecision(
    [property: Id(0)] bool Allowed,
    [property: Id(1)] int Limit,
    [property: Id(2)] int Remaining,
    [property: Id(3)] int RetryAfterSeconds,
    [property: Id(4)] int ResetSeconds);

/// <summary>
/// The request bucket of one key for one endpoint group, keyed <c>{keyId:N}/{group}</c>. One activation in the
/// cluster holds it, so the limit holds across API nodes.
/// </summary>
public interface IRateLimitGrain : IGrainWithStringKey
{
    /// <summary>Takes one request from the bucket of <paramref name="limit"/> requests per <paramref name="window"/>.</summary>
    Task<RateDecision> TakeAsync(int limit, TimeSpan window);
}
