using System.Text.Json.Serialization;
using Orleans.Concurrency;

namespace Seismo.Grains;

/// <summary>A build report's status on the wire; <c>none</c> until one is requested.</summary>
public static class ReportStatuses
{
    public const string None = "none";
    public const string Pending = "pending";
    public const string Generating = "generating";
    public const string Ready = "ready";
    public const string Failed = "failed";
}

/// <summary>Pass/fail counts of a build's results.</summary>
[GenerateSerializer, Immutable]
public sealed record BuildCounts(
    [property: Id(0), JsonPropertyName("total")] int Total,
    [property: Id(1), JsonPropertyName("passed")] int Passed,
    [property: Id(2), JsonPropertyName("failed")] int Failed,
    [property: Id(3), JsonPropertyName("broken")] int Broken,
    [property: Id(4), JsonPropertyName("skipped")] int Skipped,
    [property: Id(5), JsonPropertyName("flaky")] int Flaky)
{
    public static BuildCounts Zero { get; } = new(0, 0, 0, 0, 0, 0);
}

/// <summary>A build of a project and its report, as <c>GET …/reports</c> lists it (camelCase).</summary>
[GenerateSerializer, Immutable]
public sealed record BuildReport(
    [property: Id(0), JsonPropertyName("buildId")] string BuildId,
    [property: Id(1), JsonPropertyName("envId")] string? EnvId,
    [property: Id(2), JsonPropertyName("projectId")] string ProjectId,
    [property: Id(3), JsonPropertyName("runId")] string? RunId,
    [property: Id(4), JsonPropertyName("uploadId")] string? UploadId,
    [property: Id(5), JsonPropertyName("status")] string Status,
    [property: Id(6), JsonPropertyName("url")] string? Url,
    [property: Id(7), JsonPropertyName("error")] string? Error,
    [property: Id(8), JsonPropertyName("counts")] BuildCounts Counts,
    [property: Id(9), JsonPropertyName("createdAt")] DateTimeOffset CreatedAt,
    [property: Id(10), JsonPropertyName("requestedAt")] DateTimeOffset? RequestedAt,
    [property: Id(11), JsonPropertyName("startedAt")] DateTimeOffset? StartedAt,
    [property: Id(12), JsonPropertyName("finishedAt")] DateTimeOffset? FinishedAt);

/// <summary>Aggregated pass/fail over a project's builds, kept on write.</summary>
[GenerateSerializer, Immutable]
public sealed record BuildStats(
    [property: Id(0), JsonPropertyName("totalBuilds")] int TotalBuilds,
    [property: Id(1), JsonPropertyName("totalTests")] long TotalTests,
    [property: Id(2), JsonPropertyName("passed")] long Passed,
    [property: Id(3), JsonPropertyName("failed")] long Failed,
    [property: Id(4), JsonPropertyName("broken")] long Broken,
    [property: Id(5), JsonPropertyName("skipped")] long Skipped,
    [property: Id(6), JsonPropertyName("flaky")] long Flaky,
    [property: Id(7), JsonPropertyName("passRate")] double PassRate,
    [property: Id(8), JsonPropertyName("reportsReady")] int ReportsReady,
    [property: Id(9), JsonPropertyName("reportsFailed")] int ReportsFailed);

/// <summary>A build's results are stored; this is what the report needs.</summary>
[GenerateSerializer, Immutable]
public sealed record BuildIngested(
    [property: Id(0)] string BuildId,
    [property: Id(1)] Guid SessionId,
    [property: Id(2)] string RunId,
    [property: Id(3)] BuildCounts Counts,
    [property: Id(4)] string ResultsPath);

public enum ReportRequestOutcome : byte { Queued, UnknownBuild, AlreadyGenerating }

/// <summary>What the report generator ended with.</summary>
[GenerateSerializer, Immutable]
public sealed record ReportGenerationOutcome(
    [property: Id(0)] bool Ready,
    [property: Id(1)] string? Error);

/// <summary>
/// The builds of a project (keyed by the project id): a build id is taken once (duplicates are refused), its results
/// and counts are recorded when stored, and its Allure report is generated, listed and deleted here.
/// </summary>
public interface IBuildsGrain : IGrainWithGuidKey
{
    /// <summary>Takes <paramref name="buildId"/> for an upload session; false when the project has it already.</summary>
    Task<bool> ReserveAsync(string buildId, Guid sessionId);

    /// <summary>Gives the build id back after the session failed before its results were stored.</summary>
    Task ReleaseAsync(string buildId, Guid sessionId);

    Task RecordIngestAsync(BuildIngested build);

    /// <summary>Queues report generation; <paramref name="configJson"/> is the client's allurerc overrides (a JSON object) or null.</summary>
    Task<ReportRequestOutcome> RequestReportAsync(string buildId, string envId, string? configJson);

    /// <summary>The generator finished (called by the generator, not by clients).</summary>
    Task ReportFinishedAsync(string buildId, long attempt, ReportGenerationOutcome outcome);

    [AlwaysInterleave]
    Task<BuildReport[]> ListAsync();

    [AlwaysInterleave]
    Task<BuildStats> StatsAsync();

    /// <summary>Removes the report and its files; the build's results and run stay. False when there is no such build.</summary>
    Task<bool> DeleteReportAsync(string buildId);
}
