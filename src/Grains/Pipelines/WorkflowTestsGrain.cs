namespace Seismo.Grains.Pipelines;

[GenerateSerializer]
public sealed class WorkflowTestsState
{
    /// <summary>The /collect runs folded in, so a repeated join is not counted twice.</summary>
    [Id(0)] public HashSet<Guid> Runs { get; set; } = [];
    [Id(1)] public WorkflowTests Tests { get; set; } = WorkflowTests.Empty;
}

/// <summary>
/// One workflow run's tests, keyed by the workflow id: each joined /collect run's results are read once, when it
/// joins, and reduced to counts and one sample per result (naming its run, so a deleted run can be taken out); the
/// flaky evidence among them goes on to the project's <see cref="ITestFlakesGrain"/>.
/// </summary>
public sealed class WorkflowTestsGrain(
    [PersistentState("workflowtests", "Default")] IPersistentState<WorkflowTestsState> state) : Grain, IWorkflowTestsGrain
{
    public async Task AddAsync(JoinedRun run)
    {
        if (state.State.Runs.Contains(run.RunGuid)) return;
        var results = await GrainFactory.GetGrain<IRunGrain>(run.RunGuid).GetResultsAsync();
        var samples = new List<TestSample>(state.State.Tests.Tests.Length + results.Count);
        samples.AddRange(state.State.Tests.Tests);
        var flakes = new List<FlakeSample>();
        foreach (var r in results)
        {
            var sample = new TestSample(r.Title, r.ClassName, r.FilePath, r.KeyHash, run.Join.JobName, r.Status, r.DurationMs / 1000.0, run.RunGuid);
            samples.Add(sample);
            if (IsFlakeEvidence(sample)) flakes.Add(Flake(sample));
        }
        state.State.Tests = Count(samples);
        state.State.Runs.Add(run.RunGuid);
        await state.WriteStateAsync();
        if (flakes.Count > 0) await GrainFactory.GetGrain<ITestFlakesGrain>(run.ProjectId).AddAsync(run, [.. flakes]);
    }

    public async Task RemoveAsync(Guid projectId, Guid[] runGuids)
    {
        var gone = runGuids.Where(state.State.Runs.Contains).ToHashSet();
        if (gone.Count == 0) return;
        var kept = new List<TestSample>(state.State.Tests.Tests.Length);
        var flakes = gone.ToDictionary(g => g, _ => new List<FlakeSample>());
        foreach (var sample in state.State.Tests.Tests)
        {
            if (!flakes.TryGetValue(sample.RunGuid, out var list)) kept.Add(sample);
            else if (IsFlakeEvidence(sample)) list.Add(Flake(sample));
        }
        // The tallies first: their removal is idempotent, so if it fails this run is still here to be removed again.
        var tallies = GrainFactory.GetGrain<ITestFlakesGrain>(projectId);
        foreach (var (runGuid, list) in flakes.Where(f => f.Value.Count > 0))
            await tallies.RemoveAsync(this.GetPrimaryKey(), runGuid, [.. list]);
        state.State.Tests = Count(kept);
        state.State.Runs.ExceptWith(gone);
        await state.WriteStateAsync();
    }

    public Task<WorkflowTests> GetAsync() => Task.FromResult(state.State.Tests);

    public async Task ClearAsync()
    {
        await state.ClearStateAsync();
        state.State = new WorkflowTestsState();
        DeactivateOnIdle();
    }

    private static bool IsFlakeEvidence(TestSample s) => s.Status is TestStatus.Failed or TestStatus.Error or TestStatus.Flaky;

    private static FlakeSample Flake(TestSample s) => new(s.KeyHash, s.ClassName, s.DurationSeconds);

    /// <summary>CircleCI's outcomes: a pass on retry is a success.</summary>
    private static WorkflowTests Count(List<TestSample> samples)
    {
        long success = 0, failure = 0, skipped = 0, errors = 0;
        foreach (var s in samples)
        {
            switch (s.Status)
            {
                case TestStatus.Passed or TestStatus.Flaky: success++; break;
                case TestStatus.Failed: failure++; break;
                case TestStatus.Skipped: skipped++; break;
                case TestStatus.Error: errors++; break;
            }
        }
        return new WorkflowTests(success, failure, skipped, errors, [.. samples]);
    }
}
