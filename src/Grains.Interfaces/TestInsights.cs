using Orleans.Concurrency;

namespace Seismo.Grains;

/// <summary>A /collect run that joined a job of a workflow run.</summary>
[GenerateSerializer, Immutable]
public sealed record JoinedRun(
    [property: Id(0)] Guid ProjectId,
    [property: Id(1)] JobJoin Join,
    [property: Id(2)] Guid RunGuid,
    [property: Id(3)] DateTimeOffset RunAt);

/// <summary>One test result of a joined run as test metrics count it (samples kept before <c>RunGuid</c> carry none).</summary>
[GenerateSerializer, Immutable]
public sealed record TestSample(
    [property: Id(0)] string Name,
    [property: Id(1)] string? ClassName,
    [property: Id(2)] string? File,
    [property: Id(3)] string KeyHash,
    [property: Id(4)] string JobName,
    [property: Id(5)] TestStatus Status,
    [property: Id(6)] double DurationSeconds,
    [property: Id(7)] Guid RunGuid = default);

/// <summary>The tests of one workflow run: counts by CircleCI's outcomes and one sample per result.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkflowTests(
    [property: Id(0)] long Success,
    [property: Id(1)] long Failure,
    [property: Id(2)] long Skipped,
    [property: Id(3)] long Errors,
    [property: Id(4)] TestSample[] Tests)
{
    public static WorkflowTests Empty { get; } = new(0, 0, 0, 0, []);

    public long Total => Success + Failure + Skipped + Errors;
}

/// <summary>A result that is flaky evidence if its test is flaky: a failure, an error or a pass on retry.</summary>
[GenerateSerializer, Immutable]
public sealed record FlakeSample(
    [property: Id(0)] string KeyHash,
    [property: Id(1)] string? ClassName,
    [property: Id(2)] double DurationSeconds);

/// <summary>A test's flakes in joined runs: how many, the seconds they took, and the latest one's job (null if unknown).</summary>
[GenerateSerializer, Immutable]
public sealed record FlakeFigures(
    [property: Id(0)] string KeyHash,
    [property: Id(1)] long TimesFlaked,
    [property: Id(2)] double TimeWastedSeconds,
    [property: Id(3)] JobJoin? Latest,
    [property: Id(4)] string? ClassName);

/// <summary>
/// The tests of one workflow run (keyed by the workflow id), folded as /collect runs join its jobs, so test metrics
/// read one small aggregate per run instead of the runs' results.
/// </summary>
public interface IWorkflowTestsGrain : IGrainWithGuidKey
{
    /// <summary>From the pipeline, once per joined run (a run already folded is ignored).</summary>
    [OneWay]
    Task AddAsync(JoinedRun run);

    /// <summary>
    /// Deleted runs leave the counts and samples, and their flakes leave the project's tallies, before this returns.
    /// Runs not folded in (or already removed) change nothing.
    /// </summary>
    Task RemoveAsync(Guid projectId, Guid[] runGuids);

    [AlwaysInterleave]
    Task<WorkflowTests> GetAsync();

    Task ClearAsync();
}

/// <summary>
/// A project's flake figures per test (keyed by the project id), kept as joined runs arrive: which tests are flaky
/// is the scorer's call, these say how often and where they flaked.
/// </summary>
public interface ITestFlakesGrain : IGrainWithGuidKey
{
    /// <summary>One joined run's flaky evidence; a run already counted for that workflow is ignored.</summary>
    Task AddAsync(JoinedRun run, FlakeSample[] samples);

    /// <summary>
    /// A deleted run's flaky evidence in one workflow (the samples it added) leaves the tallies, written before this
    /// returns; a test whose latest flake it was falls back to its next latest. A run not counted changes nothing.
    /// </summary>
    Task RemoveAsync(Guid workflowId, Guid runGuid, FlakeSample[] samples);

    [AlwaysInterleave]
    Task<FlakeFigures[]> GetAsync(string[] keyHashes);

    Task ClearAsync();
}
