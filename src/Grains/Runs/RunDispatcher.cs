using Seismo.Domain.Identity;

namespace Seismo.Grains.Runs;

/// <summary>
/// Fans a stored run out to its test grains: one call per test, all in flight at once, no grain in between.
/// Used by the API after it answers, and by a project grain replaying runs after a crash.
/// </summary>
public static class RunDispatcher
{
    public static Task DispatchAsync(IGrainFactory grains, RunSummary run, IReadOnlyList<TestResult> results, long durableThrough)
    {
        if (results.Count == 0) return Task.CompletedTask;
        var meta = run.Metadata;
        var ran = run.Counts.Total - run.Counts.Skipped;
        var failureFraction = ran == 0 ? 0 : (double)(run.Counts.Failed + run.Counts.Errors) / ran;
        var calls = new Task[results.Count];
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            var hash = result.KeyHash;
            var execution = new TestExecution(run.Sequence, meta.RunGuid, meta.Id, i, result.Status, result.DurationMs,
                result.Attempts, meta.Ci.Branch, meta.Ci.CommitSha, meta.CreatedAt, result.Message);
            calls[i] = grains.GetGrain<ITestGrain>(PublicIds.TestGrainKey(meta.ProjectId, hash))
                .ApplyAsync(new TestApplication(execution, result, failureFraction, ran, durableThrough));
        }
        return Task.WhenAll(calls);
    }
}
