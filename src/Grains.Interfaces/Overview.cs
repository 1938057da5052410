namespace Seismo.Grains;

/// <summary>One UTC day of a project's builds (<see cref="Day"/> is <c>DateOnly.DayNumber</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record DayCount(
    [property: Id(0)] int Day,
    [property: Id(1)] long Passed,
    [property: Id(2)] long Failed,
    [property: Id(3)] long Skipped,
    [property: Id(4)] int Builds);

/// <summary>A build as the overview lists it: one accepted run.</summary>
[GenerateSerializer, Immutable]
public sealed record RecentBuild(
    [property: Id(0)] string RunId,
    [property: Id(1)] string BuildId,
    [property: Id(2)] string Status,
    [property: Id(3)] int Passed,
    [property: Id(4)] int Failed,
    [property: Id(5)] int Skipped,
    [property: Id(6)] int Total,
    [property: Id(7)] string? Branch,
    [property: Id(8)] string? CommitSha,
    [property: Id(9)] DateTimeOffset CreatedAt);

/// <summary>
/// A project's share of the overview, folded on write from each accepted run: totals, the last
/// <c>OverviewFold.TrendDays</c> days and the newest <c>OverviewFold.RecentCount</c> builds. Its size is bounded,
/// whatever the history. <see cref="Sequence"/> is the last run folded in, so newer snapshots win.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ProjectOverview(
    [property: Id(0)] long Sequence,
    [property: Id(1)] long Builds,
    [property: Id(2)] long Passed,
    [property: Id(3)] long Failed,
    [property: Id(4)] long Skipped,
    [property: Id(5)] DayCount[] Days,
    [property: Id(6)] RecentBuild[] Recent)
{
    public static ProjectOverview Empty { get; } = new(0, 0, 0, 0, 0, [], []);
}

[GenerateSerializer, Immutable]
public sealed record OverviewSummary(
    [property: Id(0)] int TotalEnvironments,
    [property: Id(1)] int TotalProjects,
    [property: Id(2)] long TotalBuilds,
    [property: Id(3)] long TotalPassed,
    [property: Id(4)] long TotalFailed,
    [property: Id(5)] int OverallPassRate);

[GenerateSerializer, Immutable]
public sealed record DailyTrend(
    [property: Id(0)] int Day,
    [property: Id(1)] long Passed,
    [property: Id(2)] long Failed,
    [property: Id(3)] long Skipped,
    [property: Id(4)] int BuildCount);

[GenerateSerializer, Immutable]
public sealed record FailingProject(
    [property: Id(0)] string EnvId,
    [property: Id(1)] string EnvName,
    [property: Id(2)] Guid ProjectId,
    [property: Id(3)] string ProjectName,
    [property: Id(4)] long TotalFailed,
    [property: Id(5)] long TotalBuilds,
    [property: Id(6)] int PassRate);

[GenerateSerializer, Immutable]
public sealed record OverviewBuild(
    [property: Id(0)] string EnvId,
    [property: Id(1)] string EnvName,
    [property: Id(2)] Guid ProjectId,
    [property: Id(3)] string ProjectName,
    [property: Id(4)] RecentBuild Build);

/// <summary>The account's overview, composed from the per-project aggregates (never from run history).</summary>
[GenerateSerializer, Immutable]
public sealed record OverviewView(
    [property: Id(0)] OverviewSummary Summary,
    [property: Id(1)] DailyTrend[] DailyTrends,
    [property: Id(2)] FailingProject[] TopFailingProjects,
    [property: Id(3)] OverviewBuild[] RecentBuilds);
