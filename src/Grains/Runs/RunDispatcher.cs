using Seismo.Domain.Identity;

namespace Seismo.Grains.Runs;

/// <summary>
/// Fans a stored run out to its test grains: one call per test, all in flight at once, no grain in between.
/// Used by the API after it answers, and by a project grain replaying runs after a crash.
/// </summary>
public static class RunDispatcher
{
    public static Task DispatchAsync(IGrainFactory grains, RunSummary run, IReadOnlyList<TestResult> results)
    {
        if (results.Count == 0) return Task.CompletedTask;
        var calls = new Task[results.Count];
        for (var i = 0; i < results.Count; i++)
        {
            calls[i] = grains.GetGrain<ITestGrain>(PublicIds.TestGrainKey(run.Metadata.ProjectId, results[i].KeyHash))
                .ApplyAsync(Application(run, results[i], i));
        }
        return Task.WhenAll(calls);
    }

    /// <summary>What the test grain of <paramref name="result"/> receives for this run.</summary>
    public static TestApplication Application(RunSummary run, TestResult result, int index)
    {
        var meta = run.Metadata;
        var ran = run.Counts.Total - run.Counts.Skipped;
        // Flaky results failed an attempt too: an outage that retries hide still trips the scorer's infrastructure gate.
        var failureFraction = ran == 0 ? 0 : (double)(run.Counts.Failed + run.Counts.Errors + run.Counts.Flaky) / ran;
        var execution = new TestExecution(run.Sequence, meta.RunGuid, meta.Id, index, result.Status, result.DurationMs,
            result.Attempts, meta.Ci.Branch, meta.Ci.CommitSha, meta.CreatedAt, result.Message);
        return new TestApplication(execution, result, failureFraction, ran, run.Rules ?? ProjectRules.Default);
    }
}
