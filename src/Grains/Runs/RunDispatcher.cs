using System.Text;
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
        var projectId = run.Metadata.ProjectId;
        var tests = new GrainAddressing<ITestGrain>(grains, PublicIds.TestGrainKey(projectId, results[0].KeyHash));
        // Every key is "{projectId:N}/{keyHash}": the project part is encoded once for the whole run.
        var prefix = Encoding.UTF8.GetBytes(PublicIds.TestGrainKey(projectId, ""));
        var context = new RunContext(run);
        var calls = new Task[results.Count];
        for (var i = 0; i < results.Count; i++)
        {
            var hash = results[i].KeyHash;
            var key = new byte[prefix.Length + Encoding.UTF8.GetByteCount(hash)];
            prefix.CopyTo(key, 0);
            Encoding.UTF8.GetBytes(hash, key.AsSpan(prefix.Length));
            calls[i] = tests.Get(key).ApplyAsync(context.Application(results[i], i));
        }
        return Task.WhenAll(calls);
    }

    /// <summary>What the test grain of <paramref name="result"/> receives for this run.</summary>
    public static TestApplication Application(RunSummary run, TestResult result, int index) => new RunContext(run).Application(result, index);

    /// <summary>What every result of one run shares in its application.</summary>
    private readonly struct RunContext(RunSummary run)
    {
        private readonly int _ran = run.Counts.Total - run.Counts.Skipped;

        // Flaky results failed an attempt too: an outage that retries hide still trips the scorer's infrastructure gate.
        private readonly double _failureFraction = run.Counts.Total - run.Counts.Skipped == 0 ? 0
            : (double)(run.Counts.Failed + run.Counts.Errors + run.Counts.Flaky) / (run.Counts.Total - run.Counts.Skipped);

        public TestApplication Application(TestResult result, int index)
        {
            var meta = run.Metadata;
            var execution = new TestExecution(run.Sequence, meta.RunGuid, meta.Id, index, result.Status, result.DurationMs,
                result.Attempts, meta.Ci.Branch, meta.Ci.CommitSha, meta.CreatedAt, result.Message);
            return new TestApplication(execution, result, _failureFraction, _ran, run.Rules ?? ProjectRules.Default);
        }
    }
}
