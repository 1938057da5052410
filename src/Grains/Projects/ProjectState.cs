using Seismo.Grains.Overview;

namespace Seismo.Grains.Projects;

/// <summary>The live part of a catalogue row; the static part (key, title, file) is in the run store's catalogue.</summary>
[GenerateSerializer]
public sealed class TestLive
{
    [Id(0)] public TestStatus LastStatus { get; set; }
    [Id(1)] public double LastDurationMs { get; set; }
    [Id(2)] public string LastRunId { get; set; } = "";
    [Id(3)] public int LastResultIndex { get; set; }
    [Id(4)] public DateTimeOffset LastRunAt { get; set; }
    [Id(5)] public long TotalRuns { get; set; }
    [Id(6)] public bool IsQuarantined { get; set; }
    [Id(7)] public long LastSequence { get; set; }

    // The test's flakiness as its grain last reported it (see FlakinessIndex).
    [Id(8)] public double Score { get; set; }
    [Id(9)] public TestLabel Label { get; set; }
    [Id(10)] public int FlakyRuns { get; set; }
    [Id(11)] public DateTimeOffset? LastFlakyAt { get; set; }
    [Id(12)] public long Revision { get; set; }
    /// <summary>Why the label is what it is: the scorer's <c>FlakinessReason</c>, as its byte value.</summary>
    [Id(13)] public byte Reason { get; set; }
}

/// <summary>
/// A project's aggregates, written behind. <see cref="AggregatedThrough"/> is the last run folded in;
/// <see cref="DurableThrough"/> the last run whose effects every test grain has persisted.
/// Both are watermarks: after a crash, runs past them are replayed from the run store.
/// </summary>
[GenerateSerializer]
public sealed class ProjectState
{
    [Id(0)] public ProjectInfo? Info { get; set; }
    [Id(1)] public long AggregatedThrough { get; set; }
    [Id(2)] public long DurableThrough { get; set; }
    [Id(3)] public Dictionary<string, long> RunCounts { get; set; } = [];
    [Id(4)] public Dictionary<string, TestLive> Tests { get; set; } = [];
    [Id(5)] public ProjectSettings? Settings { get; set; }

    /// <summary>The live feed's replay buffer and the last event number reserved in storage (see LiveFeed).</summary>
    [Id(6)] public List<LiveEvent> RecentEvents { get; set; } = [];
    [Id(7)] public long EventsReservedThrough { get; set; }

    /// <summary>The project's share of its account's overview (bounded; see OverviewFold).</summary>
    [Id(8)] public ProjectOverview Overview { get; set; } = ProjectOverview.Empty;
    /// <summary>Daily counts and failure tallies for the dashboard (see ProjectTrends).</summary>
    [Id(9)] public ProjectTrends Trends { get; set; } = new();
    /// <summary>Runs reported test by test that are not in the run log: open (running) or cancelled ones.</summary>
    [Id(10)] public Dictionary<Guid, RunSummary> ReporterRuns { get; set; } = [];

    /// <summary>Tests whose runs were deleted and whose state awaits a replay of their remaining runs.</summary>
    [Id(11)] public HashSet<string> StaleTests { get; set; } = [];

    /// <summary>Folds one run into the counters and catalogue. Called once per run, in sequence order.</summary>
    public void Fold(RunSummary run, IReadOnlyList<TestResult> results, Action<string, TestLive>? added = null)
    {
        if (run.Sequence <= AggregatedThrough) return;
        var branch = run.Metadata.Ci.Branch ?? "";
        foreach (var key in CounterKeys(run.Status, branch)) RunCounts[key] = RunCounts.GetValueOrDefault(key) + 1;
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            var hash = result.KeyHash;
            if (!Tests.TryGetValue(hash, out var live))
            {
                Tests[hash] = live = new TestLive();
                added?.Invoke(hash, live);
            }
            live.LastStatus = result.Status;
            live.LastDurationMs = result.DurationMs;
            live.LastRunId = run.Metadata.Id;
            live.LastResultIndex = i;
            live.LastRunAt = run.Metadata.CreatedAt;
            live.LastSequence = run.Sequence;
            live.TotalRuns++;
        }
        Overview = OverviewFold.Add(Overview, run);
        Trends.Fold(run, results);
        AggregatedThrough = run.Sequence;
    }

    /// <summary>
    /// Takes a deleted run back out of the counters and test counts; what depends on the run order (each test's last
    /// result, score) is recomputed from the remaining runs, so those tests are marked <see cref="StaleTests"/>.
    /// </summary>
    public void Unfold(RunSummary run, IReadOnlyList<TestResult> results)
    {
        foreach (var key in CounterKeys(run.Status, run.Metadata.Ci.Branch ?? ""))
        {
            var left = RunCounts.GetValueOrDefault(key) - 1;
            if (left > 0) RunCounts[key] = left; else RunCounts.Remove(key);
        }
        foreach (var result in results)
        {
            if (Tests.TryGetValue(result.KeyHash, out var live)) live.TotalRuns = Math.Max(0, live.TotalRuns - 1);
            StaleTests.Add(result.KeyHash);
        }
        Overview = OverviewFold.Remove(Overview, run);
        Trends.Unfold(run, results);
    }

    public long CountRuns(string? status, string? branch) =>
        RunCounts.GetValueOrDefault(CounterKey(status ?? "*", branch ?? "*"));

    // Four counters per run answer every (status?, branch?) filter without counting rows.
    private static IEnumerable<string> CounterKeys(string status, string branch) =>
        [CounterKey("*", "*"), CounterKey(status, "*"), CounterKey("*", branch), CounterKey(status, branch)];

    private static string CounterKey(string status, string branch) => status + "\u001f" + branch;
}
