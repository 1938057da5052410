namespace Seismo.Grains.Pipelines;

[GenerateSerializer]
public sealed class FlakeTally
{
    [Id(0)] public long Times { get; set; }
    [Id(1)] public double Seconds { get; set; }
    [Id(2)] public JobJoin? Latest { get; set; }
    [Id(3)] public DateTimeOffset LatestAt { get; set; }
    [Id(4)] public string? ClassName { get; set; }
}

[GenerateSerializer]
public sealed class TestFlakesState
{
    /// <summary>By test key hash; only tests with a failure, error or pass on retry in a joined run have a tally.</summary>
    [Id(0)] public Dictionary<string, FlakeTally> Tests { get; set; } = [];
}

/// <summary>
/// A project's flake tallies per test, keyed by the project id: each joined run's failures, errors and passes on
/// retry add one flake and their seconds; the latest (by the run's time) names the job. Reads cost one lookup per
/// test asked for, whatever the history's length.
/// </summary>
public sealed class TestFlakesGrain(
    [PersistentState("testflakes", "Default")] IPersistentState<TestFlakesState> state) : Grain, ITestFlakesGrain
{
    public async Task AddAsync(JobJoin join, DateTimeOffset runAt, FlakeSample[] samples)
    {
        foreach (var s in samples)
        {
            if (!state.State.Tests.TryGetValue(s.KeyHash, out var tally)) state.State.Tests[s.KeyHash] = tally = new FlakeTally();
            tally.Times++;
            tally.Seconds += s.DurationSeconds;
            // A run that joins late (it came before its pipeline) does not displace a newer one.
            if (tally.Latest is null || runAt > tally.LatestAt || (runAt == tally.LatestAt && join.JobNumber > tally.Latest.JobNumber))
            {
                tally.Latest = join;
                tally.LatestAt = runAt;
                tally.ClassName = s.ClassName;
            }
        }
        await state.WriteStateAsync();
    }

    public Task<FlakeFigures[]> GetAsync(string[] keyHashes) => Task.FromResult(keyHashes
        .Select(h => state.State.Tests.TryGetValue(h, out var t) && t.Latest is { } latest
            ? new FlakeFigures(h, t.Times, t.Seconds, latest, t.ClassName)
            : null)
        .OfType<FlakeFigures>()
        .ToArray());

    public async Task ClearAsync()
    {
        await state.ClearStateAsync();
        state.State = new TestFlakesState();
        DeactivateOnIdle();
    }
}
