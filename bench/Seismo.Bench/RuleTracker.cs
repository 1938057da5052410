namespace Seismo.Bench;

/// <summary>Follows one rule's verdicts over the replay and turns them into the benchmark's figures.</summary>
internal sealed class RuleTracker
{
    private readonly bool[] _everFlaky;
    private readonly int[] _firstFlakyRun;
    private readonly bool[] _awaitingSuspicion;
    private int _suspicionChecks, _suspicionHits;
    private int _regressionChecks, _regressionHits;

    public RuleTracker(int tests)
    {
        _everFlaky = new bool[tests];
        _firstFlakyRun = Enumerable.Repeat(-1, tests).ToArray();
        _awaitingSuspicion = new bool[tests];
    }

    /// <param name="flaky">The rule calls the test flaky now.</param>
    /// <param name="suspectedOrFlaky">The rule calls it suspected or flaky now.</param>
    /// <param name="regression">The rule calls it regressed (or broken) now.</param>
    /// <param name="firstPassOnRetry">This run holds the test's first pass on retry.</param>
    /// <param name="secondRegressionFailure">This run holds the second hard failure of a regression.</param>
    public void Observe(int test, int run, bool flaky, bool suspectedOrFlaky, bool regression, bool firstPassOnRetry, bool secondRegressionFailure)
    {
        if (flaky && !_everFlaky[test]) { _everFlaky[test] = true; _firstFlakyRun[test] = run; }
        if (_awaitingSuspicion[test])
        {
            // "Within one run": the verdict after the next result still counts.
            _awaitingSuspicion[test] = false;
            if (suspectedOrFlaky) _suspicionHits++;
        }
        if (firstPassOnRetry)
        {
            _suspicionChecks++;
            if (suspectedOrFlaky) _suspicionHits++;
            else _awaitingSuspicion[test] = true;
        }
        if (secondRegressionFailure)
        {
            _regressionChecks++;
            if (regression) _regressionHits++;
        }
    }

    public double Precision(SyntheticTest[] tests)
    {
        int flagged = 0, right = 0;
        for (var i = 0; i < tests.Length; i++)
            if (_everFlaky[i]) { flagged++; if (tests[i].Truth == Truth.Flaky) right++; }
        return flagged == 0 ? double.NaN : (double)right / flagged;
    }

    /// <summary>Share of the tests matching <paramref name="which"/> that were ever called flaky.</summary>
    public double EverFlakyShare(SyntheticTest[] tests, Func<SyntheticTest, bool> which)
    {
        int n = 0, flagged = 0;
        for (var i = 0; i < tests.Length; i++)
            if (which(tests[i])) { n++; if (_everFlaky[i]) flagged++; }
        return n == 0 ? double.NaN : (double)flagged / n;
    }

    /// <summary>Median count of runs until the first flaky verdict; a test never called flaky counts as never.</summary>
    public double MedianRunsToDetection(SyntheticTest[] tests, Func<SyntheticTest, bool> which)
    {
        var runs = new List<double>();
        for (var i = 0; i < tests.Length; i++)
            if (which(tests[i])) runs.Add(_firstFlakyRun[i] < 0 ? double.PositiveInfinity : _firstFlakyRun[i] + 1);
        runs.Sort();
        return runs.Count == 0 ? double.NaN : runs[runs.Count / 2];
    }

    public (int Hits, int Checks) SuspicionAfterFirstRetryPass => (_suspicionHits, _suspicionChecks);
    public (int Hits, int Checks) RegressionBySecondFailure => (_regressionHits, _regressionChecks);
}
