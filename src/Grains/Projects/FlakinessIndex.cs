namespace Seismo.Grains.Projects;

/// <summary>
/// A project's tests ordered by flakiness score, with the project-wide counters of <c>GET /api/flakiness</c>, kept on
/// write: a report costs O(log n) and a listing reads only the rows it returns (plus the ones its filter skips), so
/// it stays fast for a project of 100,000 tests. Rows live in the project state's <see cref="TestLive"/> entries;
/// this class only orders and counts them, and is rebuilt from them on activation.
/// </summary>
public sealed class FlakinessIndex
{
    private readonly SortedSet<(double Score, string Hash)> _byScore = new(ScoreDescending.Instance);
    private readonly SortedSet<(double Score, string Hash)> _quarantined = new(ScoreDescending.Instance);
    private double _flakyScoreSum;

    public int FlakyTests { get; private set; }
    public int QuarantinedTests { get; private set; }
    public int Count => _byScore.Count;

    /// <summary>Mean score of the tests labelled FLAKY; 0 when there are none.</summary>
    public double AverageFlakyScore => FlakyTests == 0 ? 0 : _flakyScoreSum / FlakyTests;

    public void Add(string hash, TestLive live)
    {
        _byScore.Add((live.Score, hash));
        Tally(hash, live, +1);
    }

    /// <summary>A test with no results left (its runs were deleted).</summary>
    public void Remove(string hash, TestLive live)
    {
        if (!_byScore.Remove((live.Score, hash))) return;
        Tally(hash, live, -1);
    }

    /// <summary>Applies a report if it is newer than what the row holds; false when it was stale.</summary>
    public bool Apply(string hash, TestLive live, FlakinessReport report)
    {
        if (report.Revision < live.Revision) return false;
        _byScore.Remove((live.Score, hash));
        Tally(hash, live, -1);
        live.Score = report.Score;
        live.Label = report.Label;
        live.FlakyRuns = report.FlakyRuns;
        live.LastFlakyAt = report.LastFlakyAt;
        live.IsQuarantined = report.IsQuarantined;
        live.Revision = report.Revision;
        live.Reason = report.Reason;
        _byScore.Add((live.Score, hash));
        Tally(hash, live, +1);
        return true;
    }

    /// <summary>
    /// Hashes of tests scoring at least <paramref name="minScore"/>, highest first; only quarantined ones when
    /// <paramref name="quarantinedOnly"/>, a set the index keeps apart because it is small and often asked for.
    /// </summary>
    public IEnumerable<string> AtLeast(double minScore, bool quarantinedOnly = false)
    {
        foreach (var (score, hash) in quarantinedOnly ? _quarantined : _byScore)
        {
            if (score < minScore) yield break;
            yield return hash;
        }
    }

    private void Tally(string hash, TestLive live, int sign)
    {
        if (live.Label == TestLabel.Flaky)
        {
            FlakyTests += sign;
            _flakyScoreSum += sign * live.Score;
            if (FlakyTests == 0) _flakyScoreSum = 0; // no drift left behind by floating-point sums
        }
        if (!live.IsQuarantined) return;
        QuarantinedTests += sign;
        if (sign > 0) _quarantined.Add((live.Score, hash));
        else _quarantined.Remove((live.Score, hash));
    }

    private sealed class ScoreDescending : IComparer<(double Score, string Hash)>
    {
        public static readonly ScoreDescending Instance = new();

        public int Compare((double Score, string Hash) x, (double Score, string Hash) y)
        {
            var byScore = y.Score.CompareTo(x.Score);
            return byScore != 0 ? byScore : string.CompareOrdinal(x.Hash, y.Hash);
        }
    }
}
