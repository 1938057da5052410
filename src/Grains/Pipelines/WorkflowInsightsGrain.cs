using Seismo.Domain.Pipelines;

namespace Seismo.Grains.Pipelines;

/// <summary>Hourly and daily buckets of one series (a workflow or a job, on one branch or all).</summary>
[GenerateSerializer]
public sealed class BucketSeries
{
    [Id(0)] public Dictionary<long, RunAggregate> Hours { get; set; } = [];
    [Id(1)] public Dictionary<long, RunAggregate> Days { get; set; } = [];
}

[GenerateSerializer]
public sealed class WorkflowInsightsState
{
    /// <summary>Series by key: <c>w␟branch</c> for the workflow, <c>j␟job␟branch</c> for its jobs; branch "*" is all branches.</summary>
    [Id(0)] public Dictionary<string, BucketSeries> Series { get; set; } = [];
    /// <summary>Per branch (and "*"): when the current run of failures began, for MTTR.</summary>
    [Id(1)] public Dictionary<string, DateTimeOffset> OpenFailures { get; set; } = [];
    /// <summary>The newest workflow runs, oldest first, capped.</summary>
    [Id(2)] public List<RecentRun> Recent { get; set; } = [];
    [Id(3)] public HashSet<string> JobNames { get; set; } = [];
}

/// <summary>
/// One workflow's insights, keyed "{projectId}/{workflow name}". Every report's change is applied to the hour and day
/// buckets of its branch and of all branches (taking the run's previous figures back first); reads merge at most
/// 48 hourly or 180 daily buckets, whatever the length of the history.
/// </summary>
public sealed class WorkflowInsightsGrain(
    [PersistentState("insights", "Default")] IPersistentState<WorkflowInsightsState> state,
    TimeProvider clock) : Grain, IWorkflowInsightsGrain
{
    private const string All = "*";
    private const int HoursKept = 48;
    private const int DaysKept = 180;
    private const int RecentKept = 1000;

    public async Task ApplyAsync(WorkflowChange change)
    {
        var branches = change.Branch is null ? new[] { All } : [All, change.Branch];
        foreach (var branch in branches)
        {
            Apply(Series("w", branch), change.Old, change.New);
            foreach (var job in change.Jobs)
            {
                state.State.JobNames.Add(job.Name);
                Apply(Series("j\u001f" + job.Name, branch), job.Old, job.New);
            }
            TrackRecovery(branch, change.Old, change.New);
        }
        Remember(change);
        await state.WriteStateAsync();
    }

    public async Task ClearAsync()
    {
        await state.ClearStateAsync();
        state.State = new WorkflowInsightsState();
        DeactivateOnIdle();
    }

    public Task<WindowFigures?> GetSummaryAsync(string? branch, string window) =>
        Task.FromResult(ReportingWindow.Parse(window, clock.GetUtcNow()) is { } w ? Figures(Find("w", branch), w) : null);

    public Task<NamedFigures[]> GetJobsAsync(string? branch, string window)
    {
        if (ReportingWindow.Parse(window, clock.GetUtcNow()) is not { } w) return Task.FromResult<NamedFigures[]>([]);
        return Task.FromResult(state.State.JobNames.Order(StringComparer.Ordinal)
            .Select(name => new NamedFigures(name, Figures(Find("j\u001f" + name, branch), w)))
            .Where(f => f.Figures.Current.TotalRuns > 0)
            .ToArray());
    }

    public Task<RecentRun[]> GetRecentRunsAsync(string? branch, DateTimeOffset? start, DateTimeOffset? end, int skip, int limit)
    {
        var horizon = clock.GetUtcNow().AddDays(-90);
        var rows = new List<RecentRun>(limit);
        var matched = 0;
        for (var i = state.State.Recent.Count - 1; i >= 0 && rows.Count < limit; i--)
        {
            var r = state.State.Recent[i];
            if (branch is not null && r.Branch != branch) continue;
            if (r.CreatedAt < (start ?? horizon) || (end is { } e && r.CreatedAt >= e)) continue;
            if (matched++ >= skip) rows.Add(r);
        }
        return Task.FromResult(rows.ToArray());
    }

    public Task<TimeSeriesPoint[]> GetJobSeriesAsync(string? branch, bool hourly, DateTimeOffset start, DateTimeOffset end)
    {
        var points = new List<TimeSeriesPoint>();
        foreach (var name in state.State.JobNames.Order(StringComparer.Ordinal))
        {
            if (Find("j\u001f" + name, branch) is not { } series) continue;
            var buckets = hourly ? series.Hours : series.Days;
            foreach (var (n, agg) in buckets.OrderBy(b => b.Key))
            {
                var at = hourly ? TimeBuckets.FromHour(n) : TimeBuckets.FromDay(n);
                if (at < (hourly ? TimeBuckets.HourStart(start) : TimeBuckets.DayStart(start)) || at >= end || agg.TotalRuns <= 0) continue;
                points.Add(new TimeSeriesPoint(name, at, agg.FirstStartedAt, agg.LastStoppedAt, Metrics(agg, hourly ? 1.0 / 24 : 1)));
            }
        }
        return Task.FromResult(points.ToArray());
    }

    public Task<string[]> GetBranchesAsync() => Task.FromResult(state.State.Series.Keys
        .Where(k => k.StartsWith("w\u001f", StringComparison.Ordinal)).Select(k => k[2..]).Where(b => b != All)
        .Order(StringComparer.Ordinal).ToArray());

    private void Apply(BucketSeries series, RunSampleData? old, RunSampleData now)
    {
        if (old is not null) Bucket(series, old.StartedAt, s => s.Remove(ToSample(old)));
        Bucket(series, now.StartedAt, s => s.Add(ToSample(now)));
        Prune(series);
    }

    // MTTR: from the end of the first failure of a run of failures to the end of the success that follows it.
    private void TrackRecovery(string branch, RunSampleData? old, RunSampleData now)
    {
        var finishedNow = ToSample(now).IsTerminal && (old is null || !ToSample(old).IsTerminal);
        if (!finishedNow) return;
        var outcome = PipelineNames.Outcome(now.Status);
        var at = now.StoppedAt ?? now.StartedAt;
        if (outcome == RunOutcome.Failed) state.State.OpenFailures.TryAdd(branch, at);
        else if (outcome == RunOutcome.Success && state.State.OpenFailures.Remove(branch, out var failedAt))
            Bucket(Series("w", branch), now.StartedAt, s => s.AddRecovery(Math.Max(0, (at - failedAt).TotalSeconds)));
    }

    private void Remember(WorkflowChange change)
    {
        var recent = state.State.Recent;
        var row = new RecentRun(change.WorkflowId, change.Branch, change.New.DurationSeconds, change.New.StartedAt, change.New.StoppedAt,
            change.New.Status, change.PipelineNumber);
        var index = recent.FindIndex(r => r.Id == change.WorkflowId);
        if (index >= 0) recent[index] = row;
        else
        {
            // Kept in order of creation, so a late report of an old run lands in its place.
            var at = recent.FindLastIndex(r => r.CreatedAt <= row.CreatedAt) + 1;
            recent.Insert(at, row);
            if (recent.Count > RecentKept) recent.RemoveAt(0);
        }
    }

    private static void Bucket(BucketSeries series, DateTimeOffset at, Action<RunAggregate> update)
    {
        update(Get(series.Hours, TimeBuckets.Hour(at)));
        update(Get(series.Days, TimeBuckets.Day(at)));

        static RunAggregate Get(Dictionary<long, RunAggregate> buckets, long n)
        {
            if (!buckets.TryGetValue(n, out var agg)) buckets[n] = agg = new RunAggregate();
            return agg;
        }
    }

    private void Prune(BucketSeries series)
    {
        var now = clock.GetUtcNow();
        var oldestHour = TimeBuckets.Hour(now) - HoursKept;
        var oldestDay = TimeBuckets.Day(now) - DaysKept;
        foreach (var h in series.Hours.Keys.Where(h => h < oldestHour).ToList()) series.Hours.Remove(h);
        foreach (var d in series.Days.Keys.Where(d => d < oldestDay).ToList()) series.Days.Remove(d);
    }

    private BucketSeries Series(string kind, string branch)
    {
        var key = kind + "\u001f" + branch;
        if (!state.State.Series.TryGetValue(key, out var series)) state.State.Series[key] = series = new BucketSeries();
        return series;
    }

    private BucketSeries? Find(string kind, string? branch) => state.State.Series.GetValueOrDefault(kind + "\u001f" + (branch ?? All));

    private static WindowFigures Figures(BucketSeries? series, ReportingWindow w) =>
        new(Metrics(Sum(series, w), w.Days), Metrics(Sum(series, w.Previous), w.Days), w.Start, w.End);

    private static RunAggregate Sum(BucketSeries? series, ReportingWindow w)
    {
        var total = new RunAggregate();
        if (series is null) return total;
        if (w.Hourly)
        {
            for (var h = TimeBuckets.Hour(w.Start); h < TimeBuckets.Hour(w.End); h++)
                if (series.Hours.TryGetValue(h, out var agg)) total.Merge(agg);
        }
        else
        {
            for (var d = TimeBuckets.Day(w.Start); d < TimeBuckets.Day(w.End); d++)
                if (series.Days.TryGetValue(d, out var agg)) total.Merge(agg);
        }
        return total;
    }

    private static MetricFigures Metrics(RunAggregate a, double days)
    {
        var f = InsightsFigures.Of(a, days);
        return new MetricFigures(f.TotalRuns, f.SuccessfulRuns, f.FailedRuns, f.CompletedRuns, f.SuccessRate, f.Throughput, f.Mttr,
            f.TotalRecoveries, new DurationFigures(f.Min, f.Max, f.Mean, f.Median, f.P95, f.StandardDeviation, f.TotalDurationSeconds),
            a.FirstStartedAt, a.LastStartedAt, f.P95Exact);
    }

    private static RunSample ToSample(RunSampleData d) => new(PipelineNames.Outcome(d.Status), d.DurationSeconds, d.StartedAt, d.StoppedAt);
}
