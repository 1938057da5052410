using Seismo.Domain.Flakiness;

namespace Seismo.Bench;

/// <summary>What a synthetic test really is; the benchmark judges every rule against this.</summary>
internal enum Truth : byte { Stable, Flaky, Regression, Broken }

/// <summary>
/// A regression: commits first built in [Start, EndExclusive), on one branch or on all (-1), contain the breaking
/// change, so every attempt on them fails; older commits (re-runs) and the fixed commits after it pass.
/// </summary>
internal readonly record struct Episode(int Start, int EndExclusive, int Branch);

internal sealed record SyntheticTest(Truth Truth, double FailureProbability, int MaxAttempts, Episode[] Episodes);

/// <param name="CommitBorn">Index of the first run that built this commit.</param>
internal readonly record struct SyntheticRun(int Index, int Branch, ulong Commit, int CommitBorn, bool Incident, double IncidentShare);

/// <summary>
/// A seeded CI history with known ground truth: stable, flaky (p from 1% to 30%, log-uniform), regressed for
/// 5–40 runs then fixed (on every branch or one feature branch), and always-failing tests; half the tests retry
/// up to 3 attempts; a main branch and feature branches, with re-runs on the same commit; and infrastructure
/// incidents that fail 25–80% of the suite (mostly every attempt, sometimes only until a retry).
/// </summary>
internal sealed class SyntheticHistory
{
    public const int FeatureBranches = 5;
    private const double IncidentRate = 0.04;
    private const double TransientIncidentShare = 0.3;

    private readonly Random _random;

    public SyntheticTest[] Tests { get; }
    public SyntheticRun[] Runs { get; }

    public SyntheticHistory(int tests, int runs, int seed)
    {
        _random = new Random(seed);
        Runs = MakeRuns(runs);
        Tests = Enumerable.Range(0, tests).Select(_ => MakeTest()).ToArray();
    }

    private SyntheticRun[] MakeRuns(int count)
    {
        var runs = new SyntheticRun[count];
        var branchCommit = new ulong[FeatureBranches + 1];
        var branchCommitBorn = new int[FeatureBranches + 1];
        for (var i = 0; i < count; i++)
        {
            int branch;
            ulong commit;
            if (i > 0 && runs[i - 1].Incident)
            {
                // People re-run a pipeline that an outage broke: same branch, same commit.
                (branch, commit) = (runs[i - 1].Branch, runs[i - 1].Commit);
            }
            else
            {
                branch = _random.NextDouble() < 0.5 ? 0 : 1 + _random.Next(FeatureBranches);
                if (branchCommit[branch] == 0 || _random.NextDouble() < 0.75) (branchCommit[branch], branchCommitBorn[branch]) = (NewCommit(), i);
                commit = branchCommit[branch];
            }
            var incident = _random.NextDouble() < IncidentRate;
            runs[i] = new SyntheticRun(i, branch, commit, branchCommitBorn[branch], incident, incident ? 0.25 + 0.55 * _random.NextDouble() : 0);
        }
        return runs;
    }

    private ulong NewCommit() => (ulong)_random.NextInt64(1, long.MaxValue);

    private SyntheticTest MakeTest()
    {
        var attempts = _random.NextDouble() < 0.5 ? 3 : 1;
        var roll = _random.NextDouble();
        if (roll < 0.10)
            return new SyntheticTest(Truth.Flaky, 0.01 * Math.Pow(30, _random.NextDouble()), attempts, []);
        if (roll < 0.19)
            return new SyntheticTest(Truth.Regression, 0, attempts, MakeEpisodes());
        if (roll < 0.21)
            return new SyntheticTest(Truth.Broken, 1, attempts, []);
        return new SyntheticTest(Truth.Stable, 0, attempts, []);
    }

    /// <summary>One or two regressions, each lasting 5–40 runs (of its branch when it is branch-local), then fixed.</summary>
    private Episode[] MakeEpisodes()
    {
        var episodes = new List<Episode>(2);
        var start = _random.Next(0, Runs.Length - 40);
        var wanted = 1 + _random.Next(2);
        while (episodes.Count < wanted && start < Runs.Length - 5)
        {
            var length = 5 + _random.Next(36);
            var branch = _random.NextDouble() < 0.7 ? -1 : 1 + _random.Next(FeatureBranches);
            var end = start;
            for (var seen = 0; end < Runs.Length && seen < length; end++)
                if (branch < 0 || Runs[end].Branch == branch) seen++;
            episodes.Add(new Episode(start, end, branch));
            start = end + 20 + _random.Next(60);
        }
        return [.. episodes];
    }

    public static int EpisodeAt(SyntheticTest test, in SyntheticRun run)
    {
        for (var e = 0; e < test.Episodes.Length; e++)
        {
            var ep = test.Episodes[e];
            if (run.CommitBorn >= ep.Start && run.CommitBorn < ep.EndExclusive && (ep.Branch < 0 || ep.Branch == run.Branch)) return e;
        }
        return -1;
    }

    /// <summary>The test's result in this run, after its retries.</summary>
    public ResultKind Outcome(SyntheticTest test, in SyntheticRun run)
    {
        if (run.Incident && _random.NextDouble() < run.IncidentShare)
            return test.MaxAttempts > 1 && _random.NextDouble() < TransientIncidentShare ? ResultKind.PassedOnRetry : ResultKind.Failed;
        if (test.Truth == Truth.Broken || EpisodeAt(test, run) >= 0) return ResultKind.Failed;
        if (test.Truth != Truth.Flaky) return ResultKind.Passed;
        for (var attempt = 1; attempt <= test.MaxAttempts; attempt++)
            if (_random.NextDouble() >= test.FailureProbability)
                return attempt == 1 ? ResultKind.Passed : ResultKind.PassedOnRetry;
        return ResultKind.Failed;
    }
}
