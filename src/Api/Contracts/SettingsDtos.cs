using System.Globalization;
using System.Text.Json.Serialization;
using Seismo.Api.Infrastructure;
using Seismo.Grains;

namespace Seismo.Api.Contracts;

// Wire shapes of the report server's overview and settings routes: camelCase, as its contract spells them.

[WireCasing(Casing.CamelCase)]
public sealed record OverviewDto(
    OverviewSummaryDto Summary, IReadOnlyList<DailyTrendDto> DailyTrends, IReadOnlyList<FailingProjectDto> TopFailingProjects,
    IReadOnlyList<RecentBuildDto> RecentBuilds)
{
    public static OverviewDto From(OverviewView v) => new(
        new OverviewSummaryDto(v.Summary.TotalEnvironments, v.Summary.TotalProjects, v.Summary.TotalBuilds, v.Summary.TotalPassed,
            v.Summary.TotalFailed, v.Summary.OverallPassRate),
        v.DailyTrends.Select(d => new DailyTrendDto(
            DateOnly.FromDayNumber(d.Day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.Passed, d.Failed, d.Skipped, d.BuildCount)).ToList(),
        v.TopFailingProjects.Select(f => new FailingProjectDto(f.EnvId, f.ProjectId, f.ProjectName, f.EnvName, f.TotalFailed, f.TotalBuilds, f.PassRate)).ToList(),
        v.RecentBuilds.Select(b => new RecentBuildDto(b.EnvId, b.EnvName, b.ProjectId, b.ProjectName, b.Build.BuildId, b.Build.RunId, b.Build.Status,
            b.Build.Passed, b.Build.Failed, b.Build.Skipped, b.Build.Total,
            (int)Math.Floor(b.Build.Passed + b.Build.Failed == 0 ? 0 : 100.0 * b.Build.Passed / (b.Build.Passed + b.Build.Failed)),
            b.Build.Branch, b.Build.CommitSha, b.Build.CreatedAt)).ToList());
}

[WireCasing(Casing.CamelCase)]
public sealed record OverviewSummaryDto(int TotalEnvironments, int TotalProjects, long TotalBuilds, long TotalPassed, long TotalFailed, int OverallPassRate);

[WireCasing(Casing.CamelCase)]
public sealed record DailyTrendDto(string Date, long Passed, long Failed, long Skipped, int BuildCount);

[WireCasing(Casing.CamelCase)]
public sealed record FailingProjectDto(string EnvId, Guid ProjectId, string ProjectName, string EnvName, long TotalFailed, long TotalBuilds, int PassRate);

[WireCasing(Casing.CamelCase)]
public sealed record RecentBuildDto(
    string EnvId, string EnvName, Guid ProjectId, string ProjectName, string BuildId, string RunId, string Status, int Passed, int Failed,
    int Skipped, int Total, int PassRate, string? Branch, string? CommitSha, DateTimeOffset CreatedAt);

[WireCasing(Casing.CamelCase)]
public sealed record SettingsApiKeyDto(
    Guid Id, string Name, string Role, string MaskedKey, Guid? ProjectId, bool IsActive, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt,
    DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt)
{
    public static SettingsApiKeyDto From(ApiKeyInfo k) => new(k.Id, k.Name, k.Role.ToString().ToLowerInvariant(), k.MaskedKey, k.ProjectId,
        k.IsActive, k.CreatedAt, k.LastUsedAt, k.ExpiresAt, k.IsActive ? null : k.UpdatedAt);
}

[WireCasing(Casing.CamelCase)]
public sealed record CreatedSettingsApiKeyDto(
    Guid Id, string Name, string Role, string Key, string MaskedKey, bool IsActive, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

[WireCasing(Casing.CamelCase)]
public sealed record DiskUsageDto(long UsedBytes, long FreeBytes, long TotalBytes, IReadOnlyList<DiskBreakdownDto> Breakdown);

[WireCasing(Casing.CamelCase)]
public sealed record DiskBreakdownDto(string Path, long Bytes);

[WireCasing(Casing.CamelCase)]
public sealed record DiskThresholdDto(int ThresholdPercent);

[WireCasing(Casing.CamelCase)]
public sealed record RetentionSettingsDto(int RetentionDays, int IntervalHours, bool DryRun);

[WireCasing(Casing.CamelCase)]
public sealed record CleanupRunDto(
    string Id, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string Status, int DeletedCount, int SkippedCount, bool DryRun,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ErrorMessage)
{
    public static CleanupRunDto From(CleanupRun r) => new(r.Id, r.StartedAt, r.FinishedAt, r.Status, r.DeletedCount, r.SkippedCount, r.DryRun, r.ErrorMessage);
}

[WireCasing(Casing.CamelCase)]
public sealed record AllureVersionDto(string Version, string Latest, IReadOnlyList<AllureSiloDto> Silos);

[WireCasing(Casing.CamelCase)]
public sealed record AllureInstalledDto(string Version, IReadOnlyList<AllureSiloDto> Silos);

/// <summary>The Allure CLI version one silo generates reports with ("" when it has none).</summary>
[WireCasing(Casing.CamelCase)]
public sealed record AllureSiloDto(string Silo, string Version);

[JsonSerializable(typeof(OverviewDto))]
[JsonSerializable(typeof(SettingsApiKeyDto[]))]
[JsonSerializable(typeof(CreatedSettingsApiKeyDto))]
[JsonSerializable(typeof(DiskUsageDto))]
[JsonSerializable(typeof(DiskThresholdDto))]
[JsonSerializable(typeof(RetentionSettingsDto))]
[JsonSerializable(typeof(CleanupRunDto))]
[JsonSerializable(typeof(CleanupRunDto[]))]
[JsonSerializable(typeof(AllureVersionDto))]
[JsonSerializable(typeof(AllureInstalledDto))]
public sealed partial class SettingsJsonContext : JsonSerializerContext;
