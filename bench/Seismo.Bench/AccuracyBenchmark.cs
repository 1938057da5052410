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
        var outcomes = AccuracyScoring.Outcomes(history);
        var scoring = new AccuracyScoring(history);
        var updateTime = new Stopwatch();
        var states = Replay(history, outcomes, scoring, updateTime);

        AccuracyScoring.PrintSetup(history, settings);
        scoring.PrintTable("Scorer", (updateTime.Elapsed.TotalMicroseconds / ((long)testCount * runCount), Unsafe.SizeOf<FlakinessState>()));
        AccuracyScoring.PrintFinalLabels("Scorer", history.Tests, t => states[t].Label);
        return 0;
    }

    /// <summary>Feeds every result to the scorer in run order, as each test grain does; returns the final states.</summary>
    /// <param name="afterRun">Called after each run with the states so far.</param>
    public static FlakinessState[] Replay(SyntheticHistory history, ResultKind[][] outcomes, AccuracyScoring? scoring = null, Stopwatch? updateTime = null,
        Action<SyntheticRun, FlakinessState[]>? afterRun = null)
    {
        var settings = ScorerSettings.Default;
        var tests = history.Tests;
        var states = new FlakinessState[tests.Length];
        foreach (var run in history.Runs)
        {
            var kinds = outcomes[run.Index];
            var failed = kinds.Count(k => k != ResultKind.Passed);
            var failureFraction = (double)failed / tests.Length;
            var branch = (ulong)run.Branch + 1;

            updateTime?.Start();
            for (var t = 0; t < tests.Length; t++)
            {
                var attempts = kinds[t] switch { ResultKind.Passed => 1, ResultKind.PassedOnRetry => 2, _ => tests[t].MaxAttempts };
                FlakinessScorer.Update(ref states[t], new ScorerInput(kinds[t], attempts, run.Commit, branch, failureFraction, tests.Length), settings);
            }
            updateTime?.Stop();
            scoring?.Observe(run, kinds, t => states[t].Label);
            afterRun?.Invoke(run, states);
        }
        return states;
    }
}
