namespace Seismo.Grains;

/// <summary>A test's outcome in one run, after its retries within that run.</summary>
public enum TestStatus : byte { Passed = 0, Failed = 1, Skipped = 2, Error = 3, Flaky = 4 }

/// <summary>
/// One execution of one test, already parsed and keyed by the API: the compact unit grains receive.
/// <see cref="KeyHash"/> is computed once, at parse time, and routes the result to its test grain.
/// <see cref="PreviousSequence"/> is set by the project when it stores the run: the sequence of the previous run that
/// reported this test (0 for its first), so the test grain can apply its runs strictly in order.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TestResult(
    [property: Id(0)] string Key,
    [property: Id(1)] string Title,
    [property: Id(2)] string? FullTitle,
    [property: Id(3)] string? ClassName,
    [property: Id(4)] string? FilePath,
    [property: Id(5)] int? Line,
    [property: Id(6)] TestStatus Status,
    [property: Id(7)] int Attempts,
    [property: Id(8)] double DurationMs,
    [property: Id(9)] string? Message,
    [property: Id(10)] string? ErrorType,
    [property: Id(11)] string? Stack,
    [property: Id(12)] string KeyHash,
    [property: Id(13)] long PreviousSequence = 0);

/// <summary>CI context derived from a run's environment or given by the reporter.</summary>
[GenerateSerializer, Immutable]
public sealed record CiContext(
    [property: Id(0)] string? Provider,
    [property: Id(1)] string? CommitSha,
    [property: Id(2)] string? Branch,
    [property: Id(3)] string? BuildId,
    [property: Id(4)] string? BuildUrl,
    [property: Id(5)] string? JobName,
    [property: Id(6)] string? Repository)
{
    public static CiContext None { get; } = new(null, null, null, null, null, null, null);
}

/// <summary>Everything about a run except its results. Collections are concrete types: they cross silos and storage.</summary>
[GenerateSerializer, Immutable]
public sealed record RunMetadata(
    [property: Id(0)] Guid RunGuid,
    [property: Id(1)] string Id,
    [property: Id(2)] Guid ProjectId,
    [property: Id(3)] Guid AccountId,
    [property: Id(4)] Guid? AgentId,
    [property: Id(5)] string Source,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] DateTimeOffset? ExecutedAt,
    [property: Id(8)] string[] Command,
    [property: Id(9)] string? User,
    [property: Id(10)] int? ReturnCode,
    [property: Id(11)] long? DurationMs,
    [property: Id(12)] string[] Tags,
    [property: Id(13)] Dictionary<string, string> Env,
    [property: Id(14)] CiContext Ci,
    [property: Id(15)] string? ArchivePath,
    [property: Id(16)] string? ProcessingError,
    [property: Id(17)] ReporterRunFields? Reporter = null,
    [property: Id(18)] bool ArchiveInRunLog = false)
{
    /// <summary>The raw upload is kept: in the archive store at <see cref="ArchivePath"/>, or in the run log with the run.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool HasArchive => ArchivePath is not null || ArchiveInRunLog;
}

[GenerateSerializer, Immutable]
public sealed record RunCounts(
    [property: Id(0)] int Total,
    [property: Id(1)] int Passed,
    [property: Id(2)] int Failed,
    [property: Id(3)] int Skipped,
    [property: Id(4)] int Flaky,
    [property: Id(5)] int Errors)
{
    public static RunCounts Of(IReadOnlyList<TestResult> results)
    {
        int passed = 0, failed = 0, skipped = 0, flaky = 0, errors = 0;
        foreach (var r in results)
        {
            switch (r.Status)
            {
                case TestStatus.Passed: passed++; break;
                case TestStatus.Failed: failed++; break;
                case TestStatus.Skipped: skipped++; break;
                case TestStatus.Flaky: flaky++; break;
                case TestStatus.Error: errors++; break;
            }
        }
        return new RunCounts(results.Count, passed, failed, skipped, flaky, errors);
    }

    /// <summary>Passed and flaky runs over everything that ran, in percent with two decimals (Euriqa's passRate).</summary>
    public double PassRate
    {
        get
        {
            var ran = Total - Skipped;
            return ran == 0 ? 0 : Math.Round(100.0 * (Passed + Flaky) / ran, 2);
        }
    }
}

/// <summary>
/// A run as the API submits it: metadata plus its parsed results, folded one per test, and the raw upload when it is
/// to be stored with the run, in the same transaction (<see cref="RunMetadata.ArchiveInRunLog"/>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RunSubmission(
    [property: Id(0)] RunMetadata Metadata,
    [property: Id(1)] TestResult[] Results,
    [property: Id(2)] byte[]? Archive = null);

/// <summary>A stored run: its place in the project's sequence, status, counts and the rules it is scored under.</summary>
[GenerateSerializer, Immutable]
public sealed record RunSummary(
    [property: Id(0)] RunMetadata Metadata,
    [property: Id(1)] long Sequence,
    [property: Id(2)] string Status,
    [property: Id(3)] RunCounts Counts,
    [property: Id(4)] ProjectRules? Rules = null);

/// <summary>A run just stored, as stored: its results linked to the previous runs of their tests.</summary>
[GenerateSerializer, Immutable]
public sealed record AcceptedRun(
    [property: Id(0)] RunSummary Run,
    [property: Id(1)] TestResult[] Results);

/// <summary>Processing state of an observation: pending until every test grain has its results.</summary>
public enum ObservationState : byte { Pending, Processed, Failed }
