using System.Text.Json.Serialization;
using Seismo.Api.Infrastructure;

namespace Seismo.Api.Contracts;

// Wire shapes of the RunWatch ingest contract and of CircleCI's API v2: snake_case (flaky-tests items kebab-case).

[WireCasing(Casing.SnakeCase)]
public sealed record RunWatchError(string Error);

[WireCasing(Casing.SnakeCase)]
public sealed record RunWatchAccepted(bool Success, Guid PipelineRunId);

/// <summary>CircleCI's error body.</summary>
[WireCasing(Casing.SnakeCase)]
public sealed record CircleError(string Message);

[WireCasing(Casing.SnakeCase)]
public sealed record ItemsPage<T>(IReadOnlyList<T> Items, string? NextPageToken);

[WireCasing(Casing.SnakeCase)]
public sealed record VcsInfoDto(string VcsUrl, string Provider, string? DefaultBranch);

[WireCasing(Casing.SnakeCase)]
public sealed record ProjectV2Dto(string Slug, string Name, Guid Id, string OrganizationName, string OrganizationSlug, Guid OrganizationId, VcsInfoDto VcsInfo);

[WireCasing(Casing.SnakeCase)]
public sealed record PipelineErrorDto(string Type, string Message);

[WireCasing(Casing.SnakeCase)]
public sealed record ActorDto(string Login, string? AvatarUrl);

[WireCasing(Casing.SnakeCase)]
public sealed record TriggerDto(string Type, DateTimeOffset ReceivedAt, ActorDto Actor);

[WireCasing(Casing.SnakeCase)]
public sealed record PipelineVcsDto(string ProviderName, string TargetRepositoryUrl, string OriginRepositoryUrl, string? Branch, string? Revision,
    string? Tag, string? ReviewId, string? ReviewUrl);

[WireCasing(Casing.SnakeCase)]
public sealed record PipelineV2Dto(Guid Id, IReadOnlyList<PipelineErrorDto> Errors, string ProjectSlug, DateTimeOffset? UpdatedAt, long Number,
    IReadOnlyDictionary<string, string> TriggerParameters, string State, DateTimeOffset CreatedAt, TriggerDto Trigger, PipelineVcsDto Vcs);

[WireCasing(Casing.SnakeCase)]
public sealed record WorkflowV2Dto(Guid PipelineId, string? CanceledBy, Guid Id, string Name, string ProjectSlug, string? ErroredBy, string? Tag,
    string Status, string StartedBy, long PipelineNumber, DateTimeOffset CreatedAt, DateTimeOffset? StoppedAt);

[WireCasing(Casing.SnakeCase)]
public sealed record JobProjectDto(Guid Id, string Slug, string Name, string ExternalUrl);

[WireCasing(Casing.SnakeCase)]
public sealed record ParallelRunDto(long Index, string Status);

[WireCasing(Casing.SnakeCase)]
public sealed record LatestWorkflowDto(Guid Id, string Name);

[WireCasing(Casing.SnakeCase)]
public sealed record ExecutorDto(string ResourceClass, string? Type);

[WireCasing(Casing.SnakeCase)]
public sealed record JobPipelineDto(Guid Id);

[WireCasing(Casing.SnakeCase)]
public sealed record OrganizationDto(string Name);

[WireCasing(Casing.SnakeCase)]
public sealed record JobMessageDto(string Type, string Message, string? Reason);

[WireCasing(Casing.SnakeCase)]
public sealed record JobContextDto(string Name);

/// <summary>CircleCI's job details; <c>duration</c> is in milliseconds, as CircleCI reports it.</summary>
[WireCasing(Casing.SnakeCase)]
public sealed record JobDetailDto(string? WebUrl, JobProjectDto Project, IReadOnlyList<ParallelRunDto> ParallelRuns, DateTimeOffset? StartedAt,
    LatestWorkflowDto LatestWorkflow, string Name, ExecutorDto Executor, long Parallelism, string Status, long Number, JobPipelineDto Pipeline,
    long? Duration, DateTimeOffset CreatedAt, IReadOnlyList<JobMessageDto> Messages, IReadOnlyList<JobContextDto> Contexts,
    OrganizationDto Organization, DateTimeOffset? QueuedAt, DateTimeOffset? StoppedAt);

[WireCasing(Casing.SnakeCase)]
public sealed record TestItemDto(string Message, string Source, double RunTime, string File, string Result, string Name, string Classname);

[WireCasing(Casing.SnakeCase)]
public sealed record JobArtifactDto(string Path, long NodeIndex, string Url);

[JsonSerializable(typeof(RunWatchError))]
[JsonSerializable(typeof(RunWatchAccepted))]
[JsonSerializable(typeof(CircleError))]
[JsonSerializable(typeof(ProjectV2Dto))]
[JsonSerializable(typeof(PipelineV2Dto))]
[JsonSerializable(typeof(ItemsPage<PipelineV2Dto>))]
[JsonSerializable(typeof(ItemsPage<WorkflowV2Dto>))]
[JsonSerializable(typeof(JobDetailDto))]
[JsonSerializable(typeof(ItemsPage<TestItemDto>))]
[JsonSerializable(typeof(ItemsPage<JobArtifactDto>))]
public sealed partial class PipelineJsonContext : JsonSerializerContext;
