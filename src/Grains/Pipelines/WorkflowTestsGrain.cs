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
/// joins, and reduced to counts and one sample per result; the flaky evidence among them goes on to the project's
/// <see cref="ITestFlakesGrain"/>.
/// </summary>
public sealed class WorkflowTestsGrain(
    [PersistentState("workflowtests", "Default")] IPersistentState<WorkflowTestsState> state) : Grain, IWorkflowTestsGrain
{
    public async Task AddAsync(JoinedRun run)
    {
        if (state.State.Runs.Contains(run.RunGuid)) return;
        var results = await GrainFactory.GetGrain<IRunGrain>(run.RunGuid).GetResultsAsync();
        var t = state.State.Tests;
        long success = t.Success, failure = t.Failure, skipped = t.Skipped, errors = t.Errors;
        var samples = new List<TestSample>(t.Tests.Length + results.Count);
        samples.AddRange(t.Tests);
        var flakes = new List<FlakeSample>();
        foreach (var r in results)
        {
            switch (r.Status)
            {
                case TestStatus.Passed or TestStatus.Flaky: success++; break;
                case TestStatus.Failed: failure++; break;
                case TestStatus.Skipped: skipped++; break;
                case TestStatus.Error: errors++; break;
            }
            var seconds = r.DurationMs / 1000.0;
            samples.Add(new TestSample(r.Title, r.ClassName, r.FilePath, r.KeyHash, run.Join.JobName, r.Status, seconds));
            if (r.Status is TestStatus.Failed or TestStatus.Error or TestStatus.Flaky) flakes.Add(new FlakeSample(r.KeyHash, r.ClassName, seconds));
        }
        state.State.Tests = new WorkflowTests(success, failure, skipped, errors, [.. samples]);
        state.State.Runs.Add(run.RunGuid);
        await state.WriteStateAsync();
        if (flakes.Count > 0) await GrainFactory.GetGrain<ITestFlakesGrain>(run.ProjectId).AddAsync(run.Join, run.RunAt, [.. flakes]);
    }

    public Task<WorkflowTests> GetAsync() => Task.FromResult(state.State.Tests);

    public async Task ClearAsync()
    {
        await state.ClearStateAsync();
        state.State = new WorkflowTestsState();
        DeactivateOnIdle();
    }
}
