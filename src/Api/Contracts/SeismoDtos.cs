using System.Text.Json.Serialization;
using Seismo.Api.Infrastructure;
using Seismo.Api.Endpoints;

namespace Seismo.Api.Contracts;

// Wire shapes of Seismo's own and the Euriqa routes: camelCase, as the Euriqa contract spells them.

[WireCasing(Casing.CamelCase)]
public sealed record DataList<T>(IReadOnlyList<T> Data);

[WireCasing(Casing.CamelCase)]
public sealed record PagedList<T>(IReadOnlyList<T> Data, long Total, int Limit, int Offset);

[WireCasing(Casing.CamelCase)]
public sealed record ProjectDto(Guid Id, string Name, string Slug, Guid TeamId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

[WireCasing(Casing.CamelCase)]
public sealed record AccountDto(
    Guid Id, string Name, string Tier, bool DataCollectionEnabled, long MonthlyObservationLimit, long ObservationsThisMonth,
    int HourlyObservationLimit, IReadOnlyList<Guid> ProjectIds, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

[WireCasing(Casing.CamelCase)]
public sealed record ApiKeyDto(
    Guid Id, string Name, Guid? ProjectId, Guid TeamId, string Role, string MaskedKey, bool IsActive,
    DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset CreatedAt);

[WireCasing(Casing.CamelCase)]
public sealed record CreatedApiKeyDto(
    Guid Id, string Name, Guid? ProjectId, Guid TeamId, string Role, string Key, bool IsActive, DateTimeOffset? ExpiresAt, DateTimeOffset CreatedAt);

[WireCasing(Casing.CamelCase)]
public sealed record ApiKeyStateDto(Guid Id, string Name, bool IsActive, DateTimeOffset UpdatedAt);

[WireCasing(Casing.CamelCase)]
public sealed record RunListItemDto(
    string Id, Guid ProjectId, string Status, string? Branch, string? CommitSha, int TotalTests, int PassedTests, int FailedTests,
    int SkippedTests, int FlakyTests, double PassRate, long Duration, DateTimeOffset CreatedAt);

[WireCasing(Casing.CamelCase)]
public sealed record RunDetailDto(
    string Id, Guid ProjectId, string Status, string? Branch, string? CommitSha, string? CiProvider, string? CiBuildId, string? CiBuildUrl,
    string? JobName, string? Repository, string Source, IReadOnlyList<string> Command, string? User, int? ReturnCode, DateTimeOffset? Executed,
    IReadOnlyList<string> Tags, IReadOnlyDictionary<string, string> Env, int TotalTests, int PassedTests, int FailedTests, int SkippedTests,
    int FlakyTests, double PassRate, long Duration, long Sequence, string ObservationStatus, string? ProcessingError,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    // What a test reporter (POST /api/runs) gave; null for /collect runs.
    string? CommitMessage = null, string? CommitAuthor = null, string? PlaywrightVersion = null, int? Workers = null, int? ShardCurrent = null,
    int? ShardTotal = null, string? Browser = null, string? Os = null, string? Viewport = null, string? Hostname = null, string? RunTitle = null,
    IReadOnlyList<string>? GrepPatterns = null);

[WireCasing(Casing.CamelCase)]
public sealed record TestErrorDto(string? Message, string? Type, string? Stack,
    // An assertion's values, as a test reporter (POST /api/tests) sent them.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Expected = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Actual = null);

[WireCasing(Casing.CamelCase)]
public sealed record TestResultDto(
    string Id, string TestId, string RunId, Guid ProjectId, string Title, string? FullTitle, string? FilePath, int? LineNumber,
    string Status, double Duration, int Retries, int Attempt, bool IsFlaky, TestErrorDto? Error, bool IsQuarantined, double FlakinessScore,
    string Label, DateTimeOffset CreatedAt);

[WireCasing(Casing.CamelCase)]
public sealed record TestCatalogItemDto(
    string Id, string TestId, string RunId, Guid ProjectId, string Title, string? FullTitle, string? FilePath, string Status,
    double Duration, bool IsFlaky, long TotalRuns, bool IsQuarantined, double FlakinessScore, string Label, DateTimeOffset CreatedAt);

[WireCasing(Casing.CamelCase)]
public sealed record TestDetailDto(
    string Id, string TestId, string RunId, Guid ProjectId, string Key, string Title, string? FullTitle, string? FilePath, int? LineNumber,
    string Status, double Duration, int Retries, int Attempt, bool IsFlaky, TestErrorDto? Error, long TotalRuns, long PassedRuns,
    long FailedRuns, long SkippedRuns, long FlakyRuns, bool IsQuarantined, double? FlakinessScore, string? Label, string? LabelReason,
    DateTimeOffset? LastFlakyAt, TestQuarantineDto? Quarantine, DateTimeOffset CreatedAt,
    // What a test reporter (POST /api/tests) sent beyond the result; empty for other sources.
    IReadOnlyList<string>? Tags = null, System.Text.Json.JsonElement? Annotations = null, string? Stdout = null, string? Stderr = null);

[WireCasing(Casing.CamelCase)]
public sealed record TestQuarantineDto(bool IsQuarantined, bool Automatic, string? DecidedBy, DateTimeOffset? UpdatedAt, int CleanRuns, int CleanRunsToRelease);

[WireCasing(Casing.CamelCase)]
public sealed record FlakinessItemDto(
    string TestId, string TestTitle, string? FilePath, double FlakinessScore, string Label, long TotalRuns, int FlakyRuns,
    DateTimeOffset? LastFlakyAt, bool IsQuarantined, string? LabelReason = null);

[WireCasing(Casing.CamelCase)]
public sealed record FlakinessSummaryDto(int TotalFlakyTests, int QuarantinedTests, double AverageFlakinessScore);

[WireCasing(Casing.CamelCase)]
public sealed record FlakinessListDto(IReadOnlyList<FlakinessItemDto> Data, FlakinessSummaryDto Summary, long Total);

[WireCasing(Casing.CamelCase)]
public sealed record QuarantineResultDto(string TestId, bool IsQuarantined, DateTimeOffset UpdatedAt);

[WireCasing(Casing.CamelCase)]
public sealed record ProjectSettingsDto(Guid ProjectId, int DataRetentionDays, double FlakinessThreshold, bool AutoQuarantineEnabled, DateTimeOffset UpdatedAt);

[WireCasing(Casing.CamelCase)]
public sealed record HistoryItemDto(string RunId, string ResultId, string Status, double Duration, string? Branch, string? CommitSha, DateTimeOffset CreatedAt,
    string? Message = null, double? FlakinessScore = null);

[WireCasing(Casing.CamelCase)]
public sealed record HistoryDto(IReadOnlyList<HistoryItemDto> Data, int Total);

[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(VersionResponse))]
[JsonSerializable(typeof(DataList<ProjectDto>))]
[JsonSerializable(typeof(ProjectDto))]
[JsonSerializable(typeof(AccountDto))]
[JsonSerializable(typeof(DataList<ApiKeyDto>))]
[JsonSerializable(typeof(CreatedApiKeyDto))]
[JsonSerializable(typeof(ApiKeyStateDto))]
[JsonSerializable(typeof(PagedList<RunListItemDto>))]
[JsonSerializable(typeof(RunDetailDto))]
[JsonSerializable(typeof(PagedList<TestResultDto>))]
[JsonSerializable(typeof(PagedList<TestCatalogItemDto>))]
[JsonSerializable(typeof(TestDetailDto))]
[JsonSerializable(typeof(HistoryDto))]
[JsonSerializable(typeof(FlakinessListDto))]
[JsonSerializable(typeof(QuarantineResultDto))]
[JsonSerializable(typeof(ProjectSettingsDto))]
public sealed partial class SeismoJsonContext : JsonSerializerContext;
