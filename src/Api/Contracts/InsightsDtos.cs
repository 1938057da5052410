using System.Text.Json.Serialization;
using Seismo.Api.Infrastructure;

namespace Seismo.Api.Contracts;

// CircleCI Insights response shapes (circleci-v2-api.txt): snake_case; flaky tests kebab-case as the contract spells them.

[WireCasing(Casing.SnakeCase)]
public sealed record DurationMetricsDto(long? Min, long? Mean, long? Median, long? P95, long? Max, double? StandardDeviation);

[WireCasing(Casing.SnakeCase)]
public sealed record WorkflowMetricsDto(long TotalRuns, long SuccessfulRuns, long? Mttr, long TotalCreditsUsed, long FailedRuns, double SuccessRate,
    DurationMetricsDto DurationMetrics, long? TotalRecoveries, double Throughput);

[WireCasing(Casing.SnakeCase)]
public sealed record WorkflowItemDto(string Name, WorkflowMetricsDto Metrics, DateTimeOffset? WindowStart, DateTimeOffset? WindowEnd, Guid ProjectId);

[WireCasing(Casing.SnakeCase)]
public sealed record JobMetricsDto(long TotalRuns, long FailedRuns, long SuccessfulRuns, DurationMetricsDto DurationMetrics, double SuccessRate,
    long TotalCreditsUsed, double Throughput);

[WireCasing(Casing.SnakeCase)]
public sealed record JobItemDto(string Name, JobMetricsDto Metrics, DateTimeOffset? WindowStart, DateTimeOffset? WindowEnd);

[WireCasing(Casing.SnakeCase)]
public sealed record RecentRunDto(Guid Id, string Branch, long? Duration, DateTimeOffset CreatedAt, DateTimeOffset? StoppedAt, long CreditsUsed,
    string? Status, bool IsApproval);

[WireCasing(Casing.SnakeCase)]
public sealed record SummaryMetricsDto(long TotalRuns, long SuccessfulRuns, long? Mttr, long? TotalCreditsUsed, long FailedRuns, double SuccessRate,
    DateTimeOffset? WindowStart, DurationMetricsDto DurationMetrics, DateTimeOffset? WindowEnd, double Throughput, long? CompletedRuns);

[WireCasing(Casing.SnakeCase)]
public sealed record SummaryTrendsDto(double TotalRuns, double FailedRuns, double SuccessRate, double P95DurationSecs, double MedianDurationSecs,
    double TotalCreditsUsed, double Mttr, double Throughput);

[WireCasing(Casing.SnakeCase)]
public sealed record WorkflowSummaryDto(SummaryMetricsDto Metrics, SummaryTrendsDto Trends, IReadOnlyList<string> WorkflowNames);

[WireCasing(Casing.SnakeCase)]
public sealed record BranchesDto(Guid OrgId, Guid ProjectId, IReadOnlyList<string> Branches);

[WireCasing(Casing.SnakeCase)]
public sealed record TotalsMetricsDto(long TotalRuns, long TotalDurationSecs, long TotalCreditsUsed, double SuccessRate, double Throughput);

[WireCasing(Casing.SnakeCase)]
public sealed record TotalsTrendsDto(double TotalRuns, double TotalDurationSecs, double TotalCreditsUsed, double SuccessRate, double Throughput);

[WireCasing(Casing.SnakeCase)]
public sealed record TotalsDto(TotalsMetricsDto Metrics, TotalsTrendsDto Trends);

[WireCasing(Casing.SnakeCase)]
public sealed record WorkflowPageMetricsDto(long TotalCreditsUsed, double P95DurationSecs, long TotalRuns, double SuccessRate);

[WireCasing(Casing.SnakeCase)]
public sealed record WorkflowPageTrendsDto(double TotalCreditsUsed, double P95DurationSecs, double TotalRuns, double SuccessRate);

[WireCasing(Casing.SnakeCase)]
public sealed record ProjectWorkflowDataDto(string WorkflowName, WorkflowPageMetricsDto Metrics, WorkflowPageTrendsDto Trends);

[WireCasing(Casing.SnakeCase)]
public sealed record ProjectWorkflowBranchDataDto(string WorkflowName, string Branch, WorkflowPageMetricsDto Metrics, WorkflowPageTrendsDto Trends);

[WireCasing(Casing.SnakeCase)]
public sealed record ProjectSummaryDto(Guid OrgId, Guid ProjectId, IReadOnlyList<string> AllBranches, TotalsDto ProjectData,
    IReadOnlyList<string> AllWorkflows, IReadOnlyList<ProjectWorkflowDataDto> ProjectWorkflowData,
    IReadOnlyList<ProjectWorkflowBranchDataDto> ProjectWorkflowBranchData);

[WireCasing(Casing.SnakeCase)]
public sealed record OrgProjectMetricsDto(long TotalCreditsUsed, long TotalDurationSecs, long TotalRuns, double SuccessRate);

[WireCasing(Casing.SnakeCase)]
public sealed record OrgProjectTrendsDto(double TotalCreditsUsed, double TotalDurationSecs, double TotalRuns, double SuccessRate);

[WireCasing(Casing.SnakeCase)]
public sealed record OrgProjectDataDto(string ProjectName, OrgProjectMetricsDto Metrics, OrgProjectTrendsDto Trends);

[WireCasing(Casing.SnakeCase)]
public sealed record OrgSummaryDto(TotalsDto OrgData, IReadOnlyList<OrgProjectDataDto> OrgProjectData, IReadOnlyList<string> AllProjects);

[WireCasing(Casing.SnakeCase)]
public sealed record SeriesDurationDto(long? Min, long? Median, long? Max, long? P95, long? Total);

[WireCasing(Casing.SnakeCase)]
public sealed record SeriesMetricsDto(long TotalRuns, long FailedRuns, long SuccessfulRuns, double Throughput, long MedianCreditsUsed,
    long TotalCreditsUsed, SeriesDurationDto DurationMetrics);

[WireCasing(Casing.SnakeCase)]
public sealed record SeriesItemDto(string Name, DateTimeOffset? MinStartedAt, DateTimeOffset? MaxEndedAt, DateTimeOffset Timestamp, SeriesMetricsDto Metrics);

public sealed record FlakyTestDto(
    [property: JsonPropertyName("workflow-created-at")] DateTimeOffset? WorkflowCreatedAt,
    [property: JsonPropertyName("classname")] string? Classname,
    [property: JsonPropertyName("job-number")] long JobNumber,
    [property: JsonPropertyName("times-flaked")] long TimesFlaked,
    [property: JsonPropertyName("source")] string? Source,
    [property: JsonPropertyName("pipeline-number")] long PipelineNumber,
    [property: JsonPropertyName("file")] string? File,
    [property: JsonPropertyName("workflow-name")] string WorkflowName,
    [property: JsonPropertyName("job-name")] string JobName,
    [property: JsonPropertyName("workflow-id")] Guid? WorkflowId,
    [property: JsonPropertyName("test-name")] string TestName,
    [property: JsonPropertyName("time-wasted")] long TimeWasted);

public sealed record FlakyTestsDto(
    [property: JsonPropertyName("flaky-tests")] IReadOnlyList<FlakyTestDto> FlakyTests,
    [property: JsonPropertyName("total-flaky-tests")] double TotalFlakyTests);

[WireCasing(Casing.SnakeCase)]
public sealed record TestCountsDto(long Error, long Failure, long Skipped, long Success, long Total);

[WireCasing(Casing.SnakeCase)]
public sealed record TestRunDto(long PipelineNumber, Guid WorkflowId, double SuccessRate, TestCountsDto TestCounts);

[WireCasing(Casing.SnakeCase)]
public sealed record TestRowDto(long FailedRuns, string JobName, double? P95Duration, string TestName, string? File, string? Source, string? Classname,
    long TotalRuns, bool Flaky);

[WireCasing(Casing.SnakeCase)]
public sealed record TestMetricsDto(long AverageTestCount, IReadOnlyList<TestRowDto> MostFailedTests, long MostFailedTestsExtra,
    IReadOnlyList<TestRowDto> SlowestTests, long SlowestTestsExtra, long TotalTestRuns, IReadOnlyList<TestRunDto> TestRuns);

[JsonSerializable(typeof(TestMetricsDto))]
[JsonSerializable(typeof(ItemsPage<WorkflowItemDto>))]
[JsonSerializable(typeof(ItemsPage<JobItemDto>))]
[JsonSerializable(typeof(ItemsPage<RecentRunDto>))]
[JsonSerializable(typeof(ItemsPage<SeriesItemDto>))]
[JsonSerializable(typeof(WorkflowSummaryDto))]
[JsonSerializable(typeof(BranchesDto))]
[JsonSerializable(typeof(ProjectSummaryDto))]
[JsonSerializable(typeof(OrgSummaryDto))]
[JsonSerializable(typeof(FlakyTestsDto))]
public sealed partial class InsightsJsonContext : JsonSerializerContext;
