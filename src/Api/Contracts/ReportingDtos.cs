using System.Text.Json.Serialization;
using Seismo.Api.Infrastructure;

namespace Seismo.Api.Contracts;

// Wire shapes of the Euriqa reporting routes (runs, tests, suites, artifacts written by a reporter): camelCase.

[WireCasing(Casing.CamelCase)]
public sealed record ReporterRunDto(
    string Id, Guid ProjectId, string Status, string? Branch, string? CommitSha, string? CommitMessage, string? CommitAuthor,
    string? CiProvider, string? CiBuildId, string? CiBuildUrl, string? PlaywrightVersion, int? Workers, int? ShardCurrent, int? ShardTotal,
    string? Browser, string? Os, string? Viewport, string? Hostname, string? RunTitle, IReadOnlyList<string> Tags,
    IReadOnlyList<string> GrepPatterns, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

[WireCasing(Casing.CamelCase)]
public sealed record RunPatchedDto(
    string Id, string Status, int TotalTests, int PassedTests, int FailedTests, int SkippedTests, int FlakyTests, long Duration,
    DateTimeOffset UpdatedAt);

[WireCasing(Casing.CamelCase)]
public sealed record ReportedTestDto(
    string Id, string TestId, string RunId, Guid ProjectId, string Title, string FullTitle, string Status, double Duration, bool IsFlaky,
    DateTimeOffset CreatedAt);

[WireCasing(Casing.CamelCase)]
public sealed record SuiteDto(string Id, string RunId, Guid ProjectId, string Title, string? FilePath, string? ParentSuiteId, DateTimeOffset CreatedAt);

[WireCasing(Casing.CamelCase)]
public sealed record SuiteNodeDto(string Id, string Title, string? FilePath, string? ParentSuiteId, IReadOnlyList<SuiteNodeDto> Children);

[WireCasing(Casing.CamelCase)]
public sealed record ArtifactDto(
    string Id, string Type, string FileName, long FileSize, string MimeType, string Url, DateTimeOffset ExpiresAt, DateTimeOffset CreatedAt);

[WireCasing(Casing.CamelCase)]
public sealed record ProjectRenamedDto(Guid Id, string Name, Guid TeamId, DateTimeOffset UpdatedAt);

[WireCasing(Casing.CamelCase)]
public sealed record TeamDto(Guid Id, string Name, string Role, DateTimeOffset CreatedAt);

/// <summary>A new team; <c>apiKey</c> is its owner's admin key, shown once.</summary>
[WireCasing(Casing.CamelCase)]
public sealed record CreatedTeamDto(Guid Id, string Name, DateTimeOffset CreatedAt, string ApiKey);

[WireCasing(Casing.CamelCase)]
public sealed record TeamMemberDto(string Id, string UserId, Guid TeamId, string Role, string Name, string? Email, string? AvatarUrl, DateTimeOffset JoinedAt);

[WireCasing(Casing.CamelCase)]
public sealed record AcceptedMemberDto(
    string Id, string UserId, Guid TeamId, string Role, string Name, string? Email, string? AvatarUrl, DateTimeOffset JoinedAt, string Key);

[WireCasing(Casing.CamelCase)]
public sealed record InvitationDto(
    string Id, Guid TeamId, string Email, string Role, string Status, DateTimeOffset ExpiresAt, DateTimeOffset CreatedAt, string InviteUrl);

[JsonSerializable(typeof(DataList<TeamDto>))]
[JsonSerializable(typeof(CreatedTeamDto))]
[JsonSerializable(typeof(DataList<TeamMemberDto>))]
[JsonSerializable(typeof(AcceptedMemberDto))]
[JsonSerializable(typeof(InvitationDto))]
[JsonSerializable(typeof(ProjectRenamedDto))]
[JsonSerializable(typeof(ReporterRunDto))]
[JsonSerializable(typeof(RunPatchedDto))]
[JsonSerializable(typeof(ReportedTestDto))]
[JsonSerializable(typeof(SuiteDto))]
[JsonSerializable(typeof(DataList<SuiteNodeDto>))]
[JsonSerializable(typeof(ArtifactDto))]
public sealed partial class ReportingJsonContext : JsonSerializerContext;
