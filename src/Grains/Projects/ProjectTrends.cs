namespace Seismo.Grains.Projects;

/// <summary>
/// Daily counts of a project's runs and results, and failure tallies per test, folded in once per run (in sequence
/// order, with the rest of <see cref="ProjectState"/>), so the dashboard's trend chart and top failing tests read
/// aggregates instead of the run log. Days older than <see cref="DaysKept"/> before the newest are dropped.
/// </summary>
[GenerateSerializer]
public sealed class ProjectTrends
{
    public const int DaysKept = 90;
    private const int MessageLength = 500;

    /// <summary>Keyed by the UTC day's <see cref="DateOnly.DayNumber"/>.</summary>
    [Id(0)] public SortedDictionary<int, DailyCounts> Days { get; set; } = [];
    [Id(1)] public Dictionary<string, FailureTally> Failures { get; set; } = [];

    // Tests ordered by failures, most first; rebuilt from Failures after a load, then kept in step with it.
    [NonSerialized] private SortedSet<(long Count, string Hash)>? _ranking;

    public void Fold(RunSummary run, IReadOnlyList<TestResult> results)
    {
        var at = run.Metadata.CreatedAt;
        var day = DateOnly.FromDateTime(at.UtcDateTime).DayNumber;
        if (!Days.TryGetValue(day, out var counts)) Days[day] = counts = new DailyCounts();
        counts.Runs++;
        if (run.Status == "failed") counts.FailedRuns++;
        counts.Passed += run.Counts.Passed;
        counts.Failed += run.Counts.Failed + run.Counts.Errors;
        counts.Skipped += run.Counts.Skipped;
        counts.Flaky += run.Counts.Flaky;
        counts.DurationMs += run.Metadata.DurationMs ?? 0;
        while (Days.Count > 0 && Days.Keys.First() <= Days.Keys.Last() - DaysKept) Days.Remove(Days.Keys.First());

        foreach (var r in results)
        {
            if (r.Status is not (TestStatus.Failed or TestStatus.Error)) continue;
            if (!Failures.TryGetValue(r.KeyHash, out var tally)) Failures[r.KeyHash] = tally = new FailureTally();
            _ranking?.Remove((tally.Count, r.KeyHash));
            tally.Count++;
            tally.LastFailedAt = at;
            tally.LastRunId = run.Metadata.Id;
            tally.LastMessage = r.Message is { Length: > MessageLength } m ? m[..MessageLength] : r.Message;
            _ranking?.Add((tally.Count, r.KeyHash));
        }
    }

    /// <summary>
    /// Takes a deleted run back out of its day and the failure counts at once. A test's last failure may have been in
    /// it: <see cref="Retally"/> sets the tally from the remaining runs once the test is replayed.
    /// </summary>
    public void Unfold(RunSummary run, IReadOnlyList<TestResult> results)
    {
        var day = DateOnly.FromDateTime(run.Metadata.CreatedAt.UtcDateTime).DayNumber;
        if (Days.TryGetValue(day, out var counts))
        {
            counts.Runs--;
            if (run.Status == "failed") counts.FailedRuns--;
            counts.Passed -= run.Counts.Passed;
            counts.Failed -= run.Counts.Failed + run.Counts.Errors;
            counts.Skipped -= run.Counts.Skipped;
            counts.Flaky -= run.Counts.Flaky;
            counts.DurationMs -= run.Metadata.DurationMs ?? 0;
            if (counts.Runs <= 0) Days.Remove(day);
        }
        foreach (var r in results)
        {
            if (r.Status is not (TestStatus.Failed or TestStatus.Error) || !Failures.TryGetValue(r.KeyHash, out var tally)) continue;
            _ranking?.Remove((tally.Count, r.KeyHash));
            if (--tally.Count <= 0) Failures.Remove(r.KeyHash);
            else _ranking?.Add((tally.Count, r.KeyHash));
        }
    }

    /// <summary>A replayed test's failures, from its remaining results in run order.</summary>
    public void Retally(string hash, IReadOnlyList<TestExecution> executions)
    {
        if (Failures.TryGetValue(hash, out var old)) _ranking?.Remove((old.Count, hash));
        Failures.Remove(hash);
        FailureTally? tally = null;
        foreach (var e in executions)
        {
            if (e.Status is not (TestStatus.Failed or TestStatus.Error)) continue;
            tally ??= new FailureTally();
            tally.Count++;
            tally.LastFailedAt = e.CreatedAt;
            tally.LastRunId = e.RunId;
            tally.LastMessage = e.Message is { Length: > MessageLength } m ? m[..MessageLength] : e.Message;
        }
        if (tally is null) return;
        Failures[hash] = tally;
        _ranking?.Add((tally.Count, hash));
    }

    /// <summary>The last <paramref name="days"/> days up to and including <paramref name="today"/>, oldest first.</summary>
    public IEnumerable<(int Day, DailyCounts Counts)> Window(int today, int days) =>
        Days.Where(d => d.Key > today - days && d.Key <= today).Select(d => (d.Key, d.Value));

    /// <summary>The most failing tests, most failures first (ties in a stable order).</summary>
    public IEnumerable<(string Hash, FailureTally Tally)> Top(int count)
    {
        _ranking ??= new SortedSet<(long, string)>(Failures.Select(f => (f.Value.Count, f.Key)), Comparer);
        return _ranking.Take(count).Select(e => (e.Hash, Failures[e.Hash]));
    }

    private static readonly Comparer<(long Count, string Hash)> Comparer =
        Comparer<(long Count, string Hash)>.Create((a, b) => a.Count != b.Count ? b.Count.CompareTo(a.Count) : string.CompareOrdinal(a.Hash, b.Hash));
}

[GenerateSerializer]
public sealed class DailyCounts
{
    [Id(0)] public int Runs { get; set; }
    [Id(1)] public int FailedRuns { get; set; }
    [Id(2)] public long Passed { get; set; }
    [Id(3)] public long Failed { get; set; }
    [Id(4)] public long Skipped { get; set; }
    [Id(5)] public long Flaky { get; set; }
    [Id(6)] public long DurationMs { get; set; }
}

[GenerateSerializer]
public sealed class FailureTally
{
    [Id(0)] public long Count { get; set; }
    [Id(1)] public DateTimeOffset LastFailedAt { get; set; }
    [Id(2)] public string LastRunId { get; set; } = "";
    [Id(3)] public string? LastMessage { get; set; }
}
