using System.Diagnostics;
using System.Runtime.CompilerServices;
using Seismo.Domain.Flakiness;

namespace Seismo.Bench;

/// <summary>
/// Replays a synthetic history with known ground truth through the flakiness scorer, in process and in run order,
/// and prints its accuracy next to two baseline rules that peers use, measured on the same results.
/// </summary>
internal static class AccuracyBenchmark
{
    public static int Run(string[] args)
    {
        var options = new BenchArgs(args);
        int testCount = options.Int("tests", 5000), runCount = options.Int("runs", 400), seed = options.Int("seed", 1);
        var settings = ScorerSettings.Default;
        var history = new SyntheticHistory(testCount, runCount, seed);
        var tests = history.Tests;

        var states = new FlakinessState[testCount];
        var kinds = new ResultKind[testCount];
        var retryRule = new RetryOrSameCommitRule(testCount);
        var windowRule = new WindowRateRule(testCount);
        RuleTracker scorer = new(testCount), retry = new(testCount), window = new(testCount);
        var passedOnRetryBefore = new bool[testCount];
        var episodeOf = Enumerable.Repeat(-1, testCount).ToArray();
        var episodeFailures = new int[testCount];
        var updateTime = new Stopwatch();
        long updates = 0;

        foreach (var run in history.Runs)
        {
            var failed = 0;
            for (var t = 0; t < testCount; t++)
                if ((kinds[t] = history.Outcome(tests[t], run)) != ResultKind.Passed) failed++;
            var failureFraction = (double)failed / testCount;
            var branch = (ulong)run.Branch + 1;

            updateTime.Start();
            for (var t = 0; t < testCount; t++)
            {
                var attempts = kinds[t] switch { ResultKind.Passed => 1, ResultKind.PassedOnRetry => 2, _ => tests[t].MaxAttempts };
                FlakinessScorer.Update(ref states[t], new ScorerInput(kinds[t], attempts, run.Commit, branch, failureFraction, testCount), settings);
            }
            updateTime.Stop();
            updates += testCount;

            for (var t = 0; t < testCount; t++)
            {
                retryRule.Update(t, run.Commit, kinds[t]);
                windowRule.Update(t, kinds[t]);
                // Pass-on-retry and regression checks are taken outside incidents: the scorer ignores those runs by design.
                var firstRetryPass = kinds[t] == ResultKind.PassedOnRetry && !passedOnRetryBefore[t];
                if (firstRetryPass) passedOnRetryBefore[t] = true;
                firstRetryPass &= !run.Incident;
                var secondFailure = false;
                var episode = SyntheticHistory.EpisodeAt(tests[t], run);
                if (episode >= 0 && kinds[t] == ResultKind.Failed && !run.Incident)
                {
                    if (episodeOf[t] != episode) (episodeOf[t], episodeFailures[t]) = (episode, 0);
                    secondFailure = ++episodeFailures[t] == 2;
                }
                var label = states[t].Label;
                scorer.Observe(t, run.Index, label == FlakinessLabel.Flaky, label is FlakinessLabel.Suspected or FlakinessLabel.Flaky,
                    label is FlakinessLabel.Regression or FlakinessLabel.Broken, firstRetryPass, secondFailure);
                retry.Observe(t, run.Index, retryRule.IsFlaky(t), retryRule.IsFlaky(t), false, firstRetryPass, secondFailure);
                window.Observe(t, run.Index, windowRule.IsFlaky(t), windowRule.IsFlaky(t), false, firstRetryPass, secondFailure);
            }
        }

        PrintSetup(history, settings);
        PrintTable(tests, scorer, retry, window, updateTime.Elapsed.TotalMicroseconds / updates, Unsafe.SizeOf<FlakinessState>());
        PrintFinalLabels(tests, states);
        return 0;
    }

    private static void PrintSetup(SyntheticHistory history, ScorerSettings settings)
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

    private static void PrintTable(SyntheticTest[] tests, RuleTracker scorer, RuleTracker retry, RuleTracker window, double microsPerUpdate, int stateBytes)
    {
        Func<SyntheticTest, bool> flaky3 = t => t.Truth == Truth.Flaky && t.FailureProbability >= 0.03;
        Func<SyntheticTest, bool> flaky10 = t => t.Truth == Truth.Flaky && t.FailureProbability >= 0.10;
        Console.WriteLine("| Figure | Target | Scorer | Met | Baseline: passed on retry or same-commit flip | Baseline: 5-95% failures over last 50 runs |");
        Console.WriteLine("|---|---|---|---|---|---|");
        void Row(string figure, string target, Func<RuleTracker, double> value, Func<double, bool> met, Func<double, string> format)
        {
            var v = value(scorer);
            var verdict = target == "(info)" ? "-" : met(v) ? "yes" : "NO";
            Console.WriteLine($"| {figure} | {target} | {format(v)} | {verdict} | {format(value(retry))} | {format(value(window))} |");
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
        var checks = scorer.SuspicionAfterFirstRetryPass.Checks;
        Row($"SUSPECTED/FLAKY within one run of the first pass on retry ({checks} tests, outside incidents)", "100%",
            r => Share(r.SuspicionAfterFirstRetryPass), v => v >= 1, Percent);
        Row($"Regression labelled REGRESSION by its second hard failure ({scorer.RegressionBySecondFailure.Checks} episodes, outside incidents)", "100%",
            r => r == scorer ? Share(r.RegressionBySecondFailure) : double.NaN, v => v >= 1, Percent);
        Console.WriteLine($"| Scorer update cost | <= 10 us | {microsPerUpdate:0.000} us | {(microsPerUpdate <= 10 ? "yes" : "NO")} | n/a | n/a |");
        Console.WriteLine($"| Scorer state per test | <= 256 B | {stateBytes} B | {(stateBytes <= 256 ? "yes" : "NO")} | n/a | n/a |");
        Console.WriteLine();
    }

    private static void PrintFinalLabels(SyntheticTest[] tests, FlakinessState[] states)
    {
        var labels = Enum.GetValues<FlakinessLabel>();
        Console.WriteLine("Scorer labels after the last run, by ground truth:");
        Console.WriteLine();
        Console.WriteLine("| Truth | " + string.Join(" | ", labels) + " |");
        Console.WriteLine("|---|" + string.Concat(labels.Select(_ => "---|")));
        foreach (var truth in Enum.GetValues<Truth>())
        {
            var counts = labels.Select(l => Enumerable.Range(0, tests.Length).Count(i => tests[i].Truth == truth && states[i].Label == l));
            Console.WriteLine($"| {truth} | " + string.Join(" | ", counts) + " |");
        }
    }
}
