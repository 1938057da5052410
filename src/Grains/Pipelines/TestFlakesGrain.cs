using Seismo.Grains.Storage;

namespace Seismo.Grains.Pipelines;

[GenerateSerializer]
public sealed class FlakeTally
{
    [Id(0)] public long Times { get; set; }
    [Id(1)] public double Seconds { get; set; }
    [Id(2)] public JobJoin? Latest { get; set; }
    [Id(3)] public DateTimeOffset LatestAt { get; set; }
    [Id(4)] public string? ClassName { get; set; }
    /// <summary>The test's newest flakes (keys of <see cref="TestFlakesState.Runs"/>), oldest first by run time.</summary>
    [Id(5)] public List<long> Recent { get; set; } = [];
}

/// <summary>A joined run with flaky evidence: the job it joined and its time.</summary>
[GenerateSerializer]
public sealed class FlakeRun
{
    [Id(0)] public Guid RunGuid { get; set; }
    [Id(1)] public JobJoin Join { get; set; } = null!;
    [Id(2)] public DateTimeOffset At { get; set; }
}

[GenerateSerializer]
public sealed class TestFlakesState
{
    /// <summary>By test key hash; only tests with a failure, error or pass on retry in a joined run have a tally.</summary>
    [Id(0)] public Dictionary<string, FlakeTally> Tests { get; set; } = [];
    /// <summary>The runs counted, one per run and workflow, under a number of their own.</summary>
    [Id(1)] public Dictionary<long, FlakeRun> Runs { get; set; } = [];
    [Id(2)] public long NextRun { get; set; }
}

/// <summary>
/// A project's flake tallies per test, keyed by the project id: each joined run's failures, errors and passes on
/// retry add one flake and their seconds; the latest (by the run's time) names the job. Reads cost one lookup per
/// test asked for, whatever the history's length. A deleted run's flakes are taken out again, and each test keeps
/// its newest <see cref="KeptRecent"/> flakes by reference so its latest falls back to the next one.
/// Additions are written behind within <see cref="FlushDelay"/> (a busy project joins a run with failures every few
/// seconds, and each write is the whole state); they derive from durable runs, and a run lost in a crash is simply
/// not counted, so its later removal finds nothing to take out. Removals are written before the call returns.
/// </summary>
public sealed class TestFlakesGrain(
    [PersistentState("testflakes", "Default")] IPersistentState<TestFlakesState> state) : Grain, ITestFlakesGrain
{
    private const int KeptRecent = 64;
    private static readonly TimeSpan FlushDelay = TimeSpan.FromSeconds(2);

    private readonly Dictionary<(Guid Run, Guid Workflow), long> _byRun = [];
    private WriteBehind<TestFlakesState> _writes = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _writes = new WriteBehind<TestFlakesState>(this, state, FlushDelay);
        foreach (var (number, run) in state.State.Runs) _byRun[(run.RunGuid, run.Join.WorkflowId)] = number;
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => _writes.PendingAsync();

    public Task AddAsync(JoinedRun run, FlakeSample[] samples)
    {
        var s = state.State;
        if (samples.Length == 0 || _byRun.ContainsKey((run.RunGuid, run.Join.WorkflowId))) return Task.CompletedTask;
        var number = s.NextRun++;
        var added = new FlakeRun { RunGuid = run.RunGuid, Join = run.Join, At = run.RunAt };
        s.Runs[number] = added;
        _byRun[(run.RunGuid, run.Join.WorkflowId)] = number;
        foreach (var sample in samples)
        {
            if (!s.Tests.TryGetValue(sample.KeyHash, out var tally)) s.Tests[sample.KeyHash] = tally = new FlakeTally();
            tally.Times++;
            tally.Seconds += sample.DurationSeconds;
            Insert(tally.Recent, number);
            // A run that joins late (it came before its pipeline) does not displace a newer one.
            if (tally.Latest is null || Newer(added, tally.Latest, tally.LatestAt))
            {
                tally.Latest = run.Join;
                tally.LatestAt = run.RunAt;
                tally.ClassName = sample.ClassName;
            }
        }
        _writes.Soon();
        return Task.CompletedTask;
    }

    public async Task RemoveAsync(Guid workflowId, Guid runGuid, FlakeSample[] samples)
    {
        if (!_byRun.Remove((runGuid, workflowId), out var number)) return;
        var s = state.State;
        s.Runs.Remove(number);
        foreach (var sample in samples)
        {
            if (!s.Tests.TryGetValue(sample.KeyHash, out var tally)) continue;
            tally.Times--;
            tally.Seconds = Math.Max(0, tally.Seconds - sample.DurationSeconds);
            tally.Recent.Remove(number);
            if (tally.Times <= 0)
            {
                s.Tests.Remove(sample.KeyHash);
                continue;
            }
            // The latest is the newest flake still kept (none once all kept ones are gone: older ones are counted, not named).
            var latest = tally.Recent.Count > 0 ? s.Runs[tally.Recent[^1]] : null;
            tally.Latest = latest?.Join;
            tally.LatestAt = latest?.At ?? default;
        }
        await _writes.NowAsync();
    }

    public Task<FlakeFigures[]> GetAsync(string[] keyHashes) => Task.FromResult(keyHashes
        .Select(h => state.State.Tests.TryGetValue(h, out var t) && t.Times > 0 ? new FlakeFigures(h, t.Times, t.Seconds, t.Latest, t.ClassName) : null)
        .OfType<FlakeFigures>()
        .ToArray());

    public async Task ClearAsync()
    {
        _writes.Cancel();
        _byRun.Clear();
        await state.ClearStateAsync();
        state.State = new TestFlakesState();
        DeactivateOnIdle();
    }

    /// <summary>Later run time wins; on a tie, the higher job number (the later job).</summary>
    private static bool Newer(FlakeRun run, JobJoin than, DateTimeOffset thanAt) =>
        run.At > thanAt || (run.At == thanAt && run.Join.JobNumber > than.JobNumber);

    /// <summary>Keeps the list in run order (runs mostly arrive in order, so this walks back a step or two) and bounded.</summary>
    private void Insert(List<long> recent, long number)
    {
        var run = state.State.Runs[number];
        var i = recent.Count;
        while (i > 0 && Newer(state.State.Runs[recent[i - 1]], run.Join, run.At)) i--;
        if (i == 0 && recent.Count >= KeptRecent) return;
        recent.Insert(i, number);
        if (recent.Count > KeptRecent) recent.RemoveAt(0);
    }
}
