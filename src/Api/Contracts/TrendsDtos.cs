using System.Text.Json.Serialization;
using Seismo.Api.Infrastructure;

namespace Seismo.Api.Contracts;

[WireCasing(Casing.CamelCase)]
public sealed record TrendDayDto(DateOnly Date, int Runs, int FailedRuns, long Passed, long Failed, long Skipped, long Flaky, long AverageDuration);

[WireCasing(Casing.CamelCase)]
public sealed record FailingTestDto(
    string TestId, string TestTitle, string? FilePath, long Failures, long TotalRuns, double FailureRate, DateTimeOffset LastFailedAt,
    string LastRunId, string? LastMessage);

[WireCasing(Casing.CamelCase)]
public sealed record ProjectTrendsDto(Guid ProjectId, IReadOnlyList<TrendDayDto> Days, IReadOnlyList<FailingTestDto> TopFailing);

[JsonSerializable(typeof(ProjectTrendsDto))]
public sealed partial class TrendsJsonContext : JsonSerializerContext;
