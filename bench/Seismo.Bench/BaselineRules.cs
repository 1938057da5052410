using Seismo.Domain.Flakiness;

namespace Seismo.Bench;

/// <summary>Peers' rule: flaky once a test passed on retry or both passed and failed on the same commit.</summary>
internal sealed class RetryOrSameCommitRule(int tests)
{
    private readonly bool[] _flaky = new bool[tests];
    private readonly Dictionary<ulong, byte[]> _commitOutcomes = [];

    public bool IsFlaky(int test) => _flaky[test];

    public void Update(int test, ulong commit, ResultKind kind)
    {
        if (!_commitOutcomes.TryGetValue(commit, out var outcomes))
            _commitOutcomes[commit] = outcomes = new byte[_flaky.Length];
        outcomes[test] |= kind == ResultKind.Failed ? (byte)2 : (byte)1;
        if (kind == ResultKind.PassedOnRetry || outcomes[test] == 3) _flaky[test] = true;
    }
}

/// <summary>
/// Peers' rule: flaky while the failure rate over the last 50 runs is between 5% and 95% (final status, so a pass
/// on retry counts as a pass; judged once a test has 20 results).
/// </summary>
internal sealed class WindowRateRule(int tests)
{
    private const int Window = 50;
    private const int MinResults = 20;
    private readonly ulong[] _failures = new ulong[tests];
    private readonly int[] _seen = new int[tests];

    public bool IsFlaky(int test)
    {
        var n = Math.Min(_seen[test], Window);
        if (n < MinResults) return false;
        var rate = (double)System.Numerics.BitOperations.PopCount(_failures[test]) / n;
        return rate is >= 0.05 and <= 0.95;
    }

    public void Update(int test, ResultKind kind)
    {
        const ulong windowMask = (1UL << Window) - 1;
        _failures[test] = ((_failures[test] << 1) | (kind == ResultKind.Failed ? 1UL : 0UL)) & windowMask;
        _seen[test]++;
    }
}
