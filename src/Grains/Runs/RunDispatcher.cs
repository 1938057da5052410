using System.Text;
using Seismo.Domain.Identity;
using Seismo.Grains.Storage;

namespace Seismo.Grains.Runs;

/// <summary>
/// Fans stored runs out to their test grains: one call per test, all in flight at once, no grain in between; done
/// when every test grain has applied them.
/// Several runs of one project dispatched together cost one call per distinct test, carrying that test's results
/// in sequence order. Used by the API after it answers, and by a project grain replaying runs after a crash.
/// </summary>
public static class RunDispatcher
{
    public static Task DispatchAsync(IGrainFactory grains, RunSummary run, IReadOnlyList<TestResult> results) =>
        DispatchAsync(grains, [new StoredRun(run, results)]);

    /// <param name="runs">Runs of one project, in any order.</param>
    public static async Task DispatchAsync(IGrainFactory grains, IReadOnlyList<StoredRun> runs)
    {
        var first = runs.FirstOrDefault(r => r.Results.Count > 0);
        if (first is null) return;
        var projectId = first.Summary.Metadata.ProjectId;
        var tests = new GrainAddressing<ITestGrain>(grains, PublicIds.TestGrainKey(projectId, first.Results[0].KeyHash));
        // Every key is "{projectId:N}/{keyHash}": the project part is encoded once for the whole batch.
        var prefix = Encoding.UTF8.GetBytes(PublicIds.TestGrainKey(projectId, ""));
        int count;
        Func<int, (string Hash, TestApplication[] Applications)> item;
        if (runs.Count == 1)
        {
            // Built as each call goes out: a run of many tests never holds all its applications at once.
            var run = runs[0];
            var context = new RunContext(run.Summary);
            count = run.Results.Count;
            item = i => (run.Results[i].KeyHash, [context.Application(run.Results[i], i)]);
        }
        else
        {
            var grouped = ByTest(runs);
            count = grouped.Count;
            item = i => (grouped[i].Key, grouped[i].Value);
        }
        Task Call(int i)
        {
            var (hash, applications) = item(i);
            var key = new byte[prefix.Length + Encoding.UTF8.GetByteCount(hash)];
            prefix.CopyTo(key, 0);
            Encoding.UTF8.GetBytes(hash, key.AsSpan(prefix.Length));
            return tests.Get(key).ApplyAsync(applications);
        }
        // All calls are in flight at once, each built as it goes out; each completes once its grain has applied the runs.
        // Every new activation queues work on the thread pool; yielding now and then puts the rest of the run behind
        // requests that came in meanwhile, so a run of 10,000 new tests does not hold up the queries that want to see it.
        var calls = new Task[count];
        for (var i = 0; i < count; i++)
        {
            calls[i] = Call(i);
            if (i % 32 == 31) await Task.Yield();
        }
        await Task.WhenAll(calls);
    }

    private static List<KeyValuePair<string, TestApplication[]>> ByTest(IReadOnlyList<StoredRun> runs)
    {
        var grouped = new Dictionary<string, List<TestApplication>>(runs[0].Results.Count, StringComparer.Ordinal);
        foreach (var run in runs.OrderBy(r => r.Summary.Sequence))
        {
            var context = new RunContext(run.Summary);
            for (var i = 0; i < run.Results.Count; i++)
            {
                var result = run.Results[i];
                if (!grouped.TryGetValue(result.KeyHash, out var list)) grouped[result.KeyHash] = list = new List<TestApplication>(runs.Count);
                list.Add(context.Application(result, i));
            }
        }
        return grouped.Select(p => new KeyValuePair<string, TestApplication[]>(p.Key, p.Value.ToArray())).ToList();
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
