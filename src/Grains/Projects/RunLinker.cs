namespace Seismo.Grains.Projects;

/// <summary>
/// Links each result of the runs accepted together to the previous run of its test: an earlier run of the same
/// batch, else the last run folded into the project. Runs must be linked in sequence order.
/// </summary>
internal sealed class RunLinker(IReadOnlyDictionary<string, TestLive> folded, int runs)
{
    // A single run reads the folded state alone; only a batch of several must remember what it has linked.
    private readonly Dictionary<string, long>? _batch = runs > 1 ? new(StringComparer.Ordinal) : null;

    public TestResult[] Link(TestResult[] results, long sequence)
    {
        var linked = new TestResult[results.Length];
        for (var i = 0; i < results.Length; i++)
        {
            var hash = results[i].KeyHash;
            if (_batch is null || !_batch.TryGetValue(hash, out var previous)) previous = folded.TryGetValue(hash, out var live) ? live.LastSequence : 0;
            linked[i] = previous == results[i].PreviousSequence ? results[i] : results[i] with { PreviousSequence = previous };
            if (_batch is not null) _batch[hash] = sequence;
        }
        return linked;
    }
}
