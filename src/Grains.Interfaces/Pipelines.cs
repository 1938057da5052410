using Orleans.Concurrency;

namespace Seismo.Grains;

/// <summary>One job of a RunWatch report.</summary>
[GenerateSerializer, Immutable]
public sealed record PipelineJobReport(
    [property: Id(0)] string Name,
    [property: Id(1)] string? JobId,
    [property: Id(2)] string? JobUrl,
    [property: Id(3)] string Status,
    [property: Id(4)] double? DurationSeconds,
    [property: Id(5)] DateTimeOffset? StartedAt,
    [property: Id(6)] DateTimeOffset? CompletedAt);

/// <summary>A RunWatch report of one run attempt, validated, for the project its repository maps to.</summary>
[GenerateSerializer, Immutable]
public sealed record PipelineReport(
    [property: Id(0)] Guid ProjectId,
    [property: Id(1)] string ProjectSlug,
    [property: Id(2)] string Provider,
    [property: Id(3)] string Repository,
    [property: Id(4)] string? PipelineId,
    [property: Id(5)] string PipelineName,
    [property: Id(6)] long RunId,
    [property: Id(7)] int RunAttempt,
    [property: Id(8)] string? RunName,
    [property: Id(9)] string? RunUrl,
    [property: Id(10)] string Status,
    [property: Id(11)] string? Mode,
    [property: Id(12)] double? ComputeSeconds,
    [property: Id(13)] double? DurationSeconds,
    [property: Id(14)] DateTimeOffset StartedAt,
    [property: Id(15)] DateTimeOffset? CompletedAt,
    [property: Id(16)] string TriggeredBy,
    [property: Id(17)] string Actor,
    [property: Id(18)] string? Branch,
    [property: Id(19)] PipelineJobReport[] Jobs,
    [property: Id(20)] DateTimeOffset ReceivedAt);

/// <summary>A /collect run that names a CI run and job: how it joins a pipeline's job.</summary>
[GenerateSerializer, Immutable]
public sealed record ObservationLink(
    [property: Id(0)] Guid RunGuid,
    [property: Id(1)] string RunId,
    [property: Id(2)] string Provider,
    [property: Id(3)] string CiRunId,
    [property: Id(4)] string JobName,
    [property: Id(5)] int? Attempt,
    [property: Id(6)] RunCounts Counts,
    [property: Id(7)] bool HasArchive,
    [property: Id(8)] DateTimeOffset At,
    [property: Id(9)] double? DurationSeconds);

[GenerateSerializer, Immutable]
public sealed record JobView(
    [property: Id(0)] long Number,
    [property: Id(1)] Guid Id,
    [property: Id(2)] string Name,
    [property: Id(3)] string? JobId,
    [property: Id(4)] string? JobUrl,
    [property: Id(5)] string Status,
    [property: Id(6)] double? DurationSeconds,
    [property: Id(7)] DateTimeOffset? StartedAt,
    [property: Id(8)] DateTimeOffset? CompletedAt,
    [property: Id(9)] ObservationLink[] Observations);

[GenerateSerializer, Immutable]
public sealed record WorkflowView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] int Attempt,
    [property: Id(2)] string Name,
    [property: Id(3)] string Status,
    [property: Id(4)] DateTimeOffset StartedAt,
    [property: Id(5)] DateTimeOffset? CompletedAt,
    [property: Id(6)] double? DurationSeconds,
    [property: Id(7)] string? RunName,
    [property: Id(8)] string? RunUrl,
    [property: Id(9)] string? ExternalId,
    [property: Id(10)] string? Mode,
    [property: Id(11)] double? ComputeSeconds,
    [property: Id(12)] JobView[] Jobs,
    [property: Id(13)] DateTimeOffset UpdatedAt);

/// <summary>A pipeline (a RunWatch run) with its workflows (one per attempt).</summary>
[GenerateSerializer, Immutable]
public sealed record PipelineView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid ProjectId,
    [property: Id(2)] string ProjectSlug,
    [property: Id(3)] long Number,
    [property: Id(4)] string Provider,
    [property: Id(5)] string Repository,
    [property: Id(6)] string PipelineName,
    [property: Id(7)] long RunId,
    [property: Id(8)] string? Branch,
    [property: Id(9)] string TriggeredBy,
    [property: Id(10)] string Actor,
    [property: Id(11)] DateTimeOffset CreatedAt,
    [property: Id(12)] DateTimeOffset UpdatedAt,
    [property: Id(13)] WorkflowView[] Workflows);

/// <summary>A pipeline's place in its project: its number, numbers for its new jobs, and /collect runs that came first.</summary>
[GenerateSerializer, Immutable]
public sealed record PipelineNumbers(
    [property: Id(0)] long Number,
    [property: Id(1)] long FirstJobNumber,
    [property: Id(2)] ObservationLink[] Pending);

[GenerateSerializer, Immutable]
public sealed record PipelineRef(
    [property: Id(0)] Guid Id,
    [property: Id(1)] long Number,
    [property: Id(2)] DateTimeOffset CreatedAt);

/// <summary>What a project's pipelines cover: its repository, workflows and branches.</summary>
[GenerateSerializer, Immutable]
public sealed record PipelineCatalog(
    [property: Id(0)] string? ProjectSlug,
    [property: Id(1)] string? Provider,
    [property: Id(2)] string? Repository,
    [property: Id(3)] string? DefaultBranch,
    [property: Id(4)] string[] Workflows,
    [property: Id(5)] string[] Branches,
    [property: Id(6)] long Pipelines);

/// <summary>A run as the insights count it: its RunWatch status, duration and times.</summary>
[GenerateSerializer, Immutable]
public sealed record RunSampleData(
    [property: Id(0)] string Status,
    [property: Id(1)] double? DurationSeconds,
    [property: Id(2)] DateTimeOffset StartedAt,
    [property: Id(3)] DateTimeOffset? StoppedAt);

[GenerateSerializer, Immutable]
public sealed record JobChange(
    [property: Id(0)] string Name,
    [property: Id(1)] RunSampleData? Old,
    [property: Id(2)] RunSampleData New);

/// <summary>A workflow run as it was before this report (null when new) and as it is now, with its jobs.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkflowChange(
    [property: Id(0)] Guid WorkflowId,
    [property: Id(1)] long PipelineNumber,
    [property: Id(2)] string? Branch,
    [property: Id(3)] RunSampleData? Old,
    [property: Id(4)] RunSampleData New,
    [property: Id(5)] JobChange[] Jobs);

[GenerateSerializer, Immutable]
public sealed record DurationFigures(
    [property: Id(0)] long? Min,
    [property: Id(1)] long? Max,
    [property: Id(2)] long? Mean,
    [property: Id(3)] long? Median,
    [property: Id(4)] long? P95,
    [property: Id(5)] double? StandardDeviation,
    [property: Id(6)] long Total);

[GenerateSerializer, Immutable]
public sealed record MetricFigures(
    [property: Id(0)] long TotalRuns,
    [property: Id(1)] long SuccessfulRuns,
    [property: Id(2)] long FailedRuns,
    [property: Id(3)] long CompletedRuns,
    [property: Id(4)] double SuccessRate,
    [property: Id(5)] double Throughput,
    [property: Id(6)] long? Mttr,
    [property: Id(7)] long? TotalRecoveries,
    [property: Id(8)] DurationFigures Durations,
    [property: Id(9)] DateTimeOffset? WindowStart,
    [property: Id(10)] DateTimeOffset? WindowEnd,
    [property: Id(11)] double? P95Exact);

/// <summary>A window's figures and those of the window of the same length before it.</summary>
[GenerateSerializer, Immutable]
public sealed record WindowFigures(
    [property: Id(0)] MetricFigures Current,
    [property: Id(1)] MetricFigures Previous,
    [property: Id(2)] DateTimeOffset Start,
    [property: Id(3)] DateTimeOffset End);

[GenerateSerializer, Immutable]
public sealed record NamedFigures(
    [property: Id(0)] string Name,
    [property: Id(1)] WindowFigures Figures);

[GenerateSerializer, Immutable]
public sealed record RecentRun(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string? Branch,
    [property: Id(2)] double? DurationSeconds,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset? StoppedAt,
    [property: Id(5)] string Status,
    [property: Id(6)] long PipelineNumber = 0);

/// <summary>Where a /collect run joined: its job, workflow and pipeline.</summary>
[GenerateSerializer, Immutable]
public sealed record JobJoin(
    [property: Id(0)] string RunId,
    [property: Id(1)] long JobNumber,
    [property: Id(2)] string JobName,
    [property: Id(3)] long PipelineNumber,
    [property: Id(4)] Guid WorkflowId,
    [property: Id(5)] string WorkflowName,
    [property: Id(6)] DateTimeOffset WorkflowCreatedAt);

[GenerateSerializer, Immutable]
public sealed record TimeSeriesPoint(
    [property: Id(0)] string Name,
    [property: Id(1)] DateTimeOffset Timestamp,
    [property: Id(2)] DateTimeOffset? MinStartedAt,
    [property: Id(3)] DateTimeOffset? MaxEndedAt,
    [property: Id(4)] MetricFigures Metrics);

/// <summary>An account's repositories as CircleCI-style project slugs (gh/acme/cool-project) and the projects they map to.</summary>
public interface IRepositoryDirectoryGrain : IGrainWithGuidKey
{
    /// <summary>
    /// The project of a repository: the one it already maps to, else <paramref name="ownProject"/> (a project key's own
    /// project), else a new project of the account, unless the account has <paramref name="maxRepositories"/> already
    /// (0 = no limit). Null when the limit is reached.
    /// </summary>
    Task<Guid?> ResolveAsync(string slug, string repository, Guid? ownProject, int maxRepositories);

    [AlwaysInterleave]
    Task<Guid?> FindAsync(string slug);

    /// <summary>A deleted project: its repositories map to nothing, so their next report starts a fresh project.</summary>
    Task ForgetProjectAsync(Guid projectId);

    /// <summary>Slug → project of every repository whose slug starts with <paramref name="orgSlug"/>/.</summary>
    [AlwaysInterleave]
    Task<Dictionary<string, Guid>> ListAsync(string? orgSlug);
}

/// <summary>A project's pipelines: numbers (pipelines and jobs, in arrival order), listings, and the /collect join.</summary>
public interface IProjectPipelinesGrain : IGrainWithGuidKey
{
    Task<PipelineNumbers> RegisterAsync(Guid pipelineId, string slug, string provider, string repository, long runId, string workflow,
        string? branch, DateTimeOffset createdAt, int newJobs);

    /// <summary>A /collect run of this project named a CI run and job (one call per run, from the project grain).</summary>
    [OneWay]
    Task ObservationAsync(ObservationLink link);

    /// <summary>A /collect run joined a job (from the pipeline, one-way).</summary>
    [OneWay]
    Task RecordJoinAsync(JobJoin join);

    /// <summary>
    /// /collect runs being deleted: they leave the runs awaiting their pipeline and the join index. Returns, per
    /// pipeline of their CI runs, the runs its jobs may hold (for <see cref="IPipelineGrain.DetachAsync"/>).
    /// </summary>
    Task<Dictionary<Guid, Guid[]>> ForgetRunsAsync(ObservationLink[] links);

    /// <summary>The jobs the given /collect runs joined, for those that joined one.</summary>
    [AlwaysInterleave]
    Task<JobJoin[]> FindJoinsAsync(string[] runIds);

    [AlwaysInterleave]
    Task<Guid?> PipelineByNumberAsync(long number);

    [AlwaysInterleave]
    Task<Guid?> PipelineOfJobAsync(long jobNumber);

    /// <summary>Newest first, before the pipeline numbered <paramref name="beforeNumber"/> (0: from the newest).</summary>
    [AlwaysInterleave]
    Task<PipelineRef[]> ListAsync(string? branch, long beforeNumber, int limit);

    /// <summary>Newest first by creation time, strictly before (<paramref name="before"/>, <paramref name="beforeId"/>).</summary>
    [AlwaysInterleave]
    Task<PipelineRef[]> ListBeforeAsync(DateTimeOffset before, Guid beforeId, int limit);

    [AlwaysInterleave]
    Task<PipelineCatalog> GetCatalogAsync(string? workflow);

    /// <summary>A deleted project: its pipelines, workflow insights, test aggregates and numbering are cleared.</summary>
    Task ClearAsync();
}

/// <summary>A pipeline, keyed by its id (derived from what identifies the run, see PipelineIds).</summary>
public interface IPipelineGrain : IGrainWithGuidKey
{
    /// <summary>Applies a report of one attempt; returns the pipeline and that attempt's workflow id.</summary>
    Task<(PipelineView Pipeline, Guid WorkflowId)> ReportAsync(PipelineReport report);

    [OneWay]
    Task AttachAsync(ObservationLink link);

    /// <summary>Deleted /collect runs leave the jobs they joined and their workflow runs' test aggregates, before this returns.</summary>
    Task DetachAsync(Guid[] runGuids);

    [AlwaysInterleave]
    Task<bool> HasAttemptAsync(int attempt);

    [AlwaysInterleave]
    Task<PipelineView?> GetAsync();

    Task ClearAsync();
}

/// <summary>The insights of one workflow of one project, keyed "{projectId}/{workflowName}": buckets kept on write.</summary>
public interface IWorkflowInsightsGrain : IGrainWithStringKey
{
    Task ApplyAsync(WorkflowChange change);

    /// <param name="branch">Null: all branches.</param>
    [AlwaysInterleave]
    Task<WindowFigures?> GetSummaryAsync(string? branch, string window);

    [AlwaysInterleave]
    Task<NamedFigures[]> GetJobsAsync(string? branch, string window);

    [AlwaysInterleave]
    Task<RecentRun[]> GetRecentRunsAsync(string? branch, DateTimeOffset? start, DateTimeOffset? end, int skip, int limit);

    [AlwaysInterleave]
    Task<TimeSeriesPoint[]> GetJobSeriesAsync(string? branch, bool hourly, DateTimeOffset start, DateTimeOffset end);

    [AlwaysInterleave]
    Task<string[]> GetBranchesAsync();

    Task ClearAsync();
}
