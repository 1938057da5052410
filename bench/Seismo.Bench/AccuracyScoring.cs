using Seismo.Domain.Flakiness;

namespace Seismo.Bench;

/// <summary>
/// The part of the accuracy benchmark that does not care where the labels come from: it follows a label source (the
/// scorer in process, or Seismo over HTTP) and the two baseline rules over the same results, in run order, and prints
/// the target table. Both <c>accuracy</c> and <c>accuracy-http</c> use it, so their figures mean the same thing.
/// </summary>
internal sealed class AccuracyScoring
{
    private readonly SyntheticTest[] _tests;
    private readonly RetryOrSameCommitRule _retryRule;
    private readonly WindowRateRule _windowRule;
    private readonly RuleTracker _scorer, _retry, _window;
    private readonly bool[] _passedOnRetryBefore;
    private readonly int[] _episodeOf;
    private readonly int[] _episodeFailures;

    public AccuracyScoring(SyntheticHistory history)
    {
        _tests = history.Tests;
        var n = _tests.Length;
        _retryRule = new RetryOrSameCommitRule(n);
        _windowRule = new WindowRateRule(n);
        (_scorer, _retry, _window) = (new RuleTracker(n), new RuleTracker(n), new RuleTracker(n));
        _passedOnRetryBefore = new bool[n];
        _episodeOf = Enumerable.Repeat(-1, n).ToArray();
        _episodeFailures = new int[n];
    }

    /// <summary>
    /// Every result of a synthetic history, in run order: <c>[run][test]</c>. The history draws its randomness in
    /// this order, so every replay of a seed sees the same results.
    /// </summary>
    public static ResultKind[][] Outcomes(SyntheticHistory history)
    {
        var tests = history.Tests;
        return history.Runs.Select(run =>
        {
            var kinds = new ResultKind[tests.Length];
            for (var t = 0; t < tests.Length; t++) kinds[t] = history.Outcome(tests[t], run);
            return kinds;
        }).ToArray();
    }

    /// <summary>Takes one run's results and each test's label after that run.</summary>
    public void Observe(in SyntheticRun run, ResultKind[] kinds, Func<int, FlakinessLabel> labelAfterRun)
    {
        for (var t = 0; t < _tests.Length; t++)
        {
            _retryRule.Update(t, run.Commit, kinds[t]);
            _windowRule.Update(t, kinds[t]);
            // Pass-on-retry and regression checks are taken outside incidents: the scorer ignores those runs by design.
            var firstRetryPass = kinds[t] == ResultKind.PassedOnRetry && !_passedOnRetryBefore[t];
            if (firstRetryPass) _passedOnRetryBefore[t] = true;
            firstRetryPass &= !run.Incident;
            var secondFailure = false;
            var episode = SyntheticHistory.EpisodeAt(_tests[t], run);
            if (episode >= 0 && kinds[t] == ResultKind.Failed && !run.Incident)
            {
                if (_episodeOf[t] != episode) (_episodeOf[t], _episodeFailures[t]) = (episode, 0);
                secondFailure = ++_episodeFailures[t] == 2;
            }
            var label = labelAfterRun(t);
            _scorer.Observe(t, run.Index, label == FlakinessLabel.Flaky, label is FlakinessLabel.Suspected or FlakinessLabel.Flaky,
                label is FlakinessLabel.Regression or FlakinessLabel.Broken, firstRetryPass, secondFailure);
            _retry.Observe(t, run.Index, _retryRule.IsFlaky(t), _retryRule.IsFlaky(t), false, firstRetryPass, secondFailure);
            _window.Observe(t, run.Index, _windowRule.IsFlaky(t), _windowRule.IsFlaky(t), false, firstRetryPass, secondFailure);
        }
    }

    public static void PrintSetup(SyntheticHistory history, ScorerSettings settings)
    {
        var tests = history.Tests;
        int Count(Truth truth) => tests.Count(t => t.Truth == truth);
        Console.WriteLine($"Synthetic history: {tests.Length} tests x {history.Runs.Length} runs; stable {Count(Truth.Stable)}, " +
            $"flaky {Count(Truth.Flaky)} (p 1-30%), regression {Count(Truth.Regression)} ({tests.Sum(t => t.Episodes.Length)} episodes of 5-40 runs), " +
            $"broken {Count(Truth.Broken)}; {tests.Count(t => t.MaxAttempts > 1)} tests retry up to 3 attempts; " +
            $"{history.Runs.Count(r => r.Incident)} infrastructure incidents; {history.Runs.Select(r => r.Commit).Distinct().Count()} commits " +
            $"on {SyntheticHistory.FeatureBranches + 1} branches.");
        Console.WriteLine($"Scorer settings: {settings}");
        Console.WriteLine();
    }

    /// <param name="labelSource">Column heading of the labels under test.</param>
    /// <param name="cost">The scorer's update cost and state size, when measured (in process only).</param>
    public void PrintTable(string labelSource, (double MicrosPerUpdate, int StateBytes)? cost)
    {
        var tests = _tests;
        Func<SyntheticTest, bool> flaky3 = t => t.Truth == Truth.Flaky && t.FailureProbability >= 0.03;
        Func<SyntheticTest, bool> flaky10 = t => t.Truth == Truth.Flaky && t.FailureProbability >= 0.10;
        Console.WriteLine($"| Figure | Target | {labelSource} | Met | Baseline: passed on retry or same-commit flip | Baseline: 5-95% failures over last 50 runs |");
        Console.WriteLine("|---|---|---|---|---|---|");
        void Row(string figure, string target, Func<RuleTracker, double> value, Func<double, bool> met, Func<double, string> format)
        {
            var v = value(_scorer);
            var verdict = target == "(info)" ? "-" : met(v) ? "yes" : "NO";
            Console.WriteLine($"| {figure} | {target} | {format(v)} | {verdict} | {format(value(_retry))} | {format(value(_window))} |");
        }
        static string Ratio(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.000");
        static string Percent(double v) => double.IsNaN(v) ? "n/a" : (100 * v).ToString("0.00") + "%";
        static string Runs(double v) => double.IsPositiveInfinity(v) ? "never" : v.ToString("0");
        static double Share((int Hits, int Checks) c) => c.Checks == 0 ? double.NaN : (double)c.Hits / c.Checks;

        Row("Precision of FLAKY (ever labelled)", ">= 0.95", r => r.Precision(tests), v => v >= 0.95, Ratio);
        Row("Regressions ever labelled FLAKY", "<= 2%", r => r.EverFlakyShare(tests, t => t.Truth == Truth.Regression), v => v <= 0.02, Percent);
        Row("Stable tests ever labelled FLAKY", "<= 0.5%", r => r.EverFlakyShare(tests, t => t.Truth == Truth.Stable), v => v <= 0.005, Percent);
        Row("Broken tests ever labelled FLAKY", "(info)", r => r.EverFlakyShare(tests, t => t.Truth == Truth.Broken), _ => true, Percent);
        Row("Recall, flaky p >= 3%, within the history", ">= 0.9", r => r.EverFlakyShare(tests, flaky3), v => v >= 0.9, Ratio);
        Row("Recall, all flaky (p 1-30%)", "(info)", r => r.EverFlakyShare(tests, t => t.Truth == Truth.Flaky), _ => true, Ratio);
        Row("Median runs to FLAKY, p >= 10%", "<= 20", r => r.MedianRunsToDetection(tests, flaky10), v => v <= 20, Runs);
        Row("Median runs to FLAKY, p 3-10%", "(info)", r => r.MedianRunsToDetection(tests, t => flaky3(t) && !flaky10(t)), _ => true, Runs);
        var checks = _scorer.SuspicionAfterFirstRetryPass.Checks;
        Row($"SUSPECTED/FLAKY within one run of the first pass on retry ({checks} tests, outside incidents)", "100%",
            r => Share(r.SuspicionAfterFirstRetryPass), v => v >= 1, Percent);
        Row($"Regression labelled REGRESSION by its second hard failure ({_scorer.RegressionBySecondFailure.Checks} episodes, outside incidents)", "100%",
            r => r == _scorer ? Share(r.RegressionBySecondFailure) : double.NaN, v => v >= 1, Percent);
        if (cost is var (micros, bytes))
        {
            Console.WriteLine($"| Scorer update cost | <= 10 us | {micros:0.000} us | {(micros <= 10 ? "yes" : "NO")} | n/a | n/a |");
            Console.WriteLine($"| Scorer state per test | <= 256 B | {bytes} B | {(bytes <= 256 ? "yes" : "NO")} | n/a | n/a |");
        }
        Console.WriteLine();
    }

    public static void PrintFinalLabels(string labelSource, SyntheticTest[] tests, Func<int, FlakinessLabel> finalLabel)
    {
        var labels = Enum.GetValues<FlakinessLabel>();
        Console.WriteLine($"{labelSource} labels after the last run, by ground truth:");
        Console.WriteLine();
        Console.WriteLine("| Truth | " + string.Join(" | ", labels) + " |");
        Console.WriteLine("|---|" + string.Concat(labels.Select(_ => "---|")));
        foreach (var truth in Enum.GetValues<Truth>())
        {
            var counts = labels.Select(l => Enumerable.Range(0, tests.Length).Count(i => tests[i].Truth == truth && finalLabel(i) == l));
            Console.WriteLine($"| {truth} | " + string.Join(" | ", counts) + " |");
        }
    }
}
