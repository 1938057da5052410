using Seismo.Grains;
using Seismo.Grains.Projects;

namespace Seismo.Tests.Flakiness;

/// <summary>The project's flakiness index: order, filters, counters, and stale reports.</summary>
public class FlakinessIndexTests
{
    private readonly FlakinessIndex _index = new();
    private readonly Dictionary<string, TestLive> _rows = [];

    private void Add(params string[] hashes)
    {
        foreach (var h in hashes) _index.Add(h, _rows[h] = new TestLive());
    }

    private bool Report(string hash, long revision, double score, TestLabel label = TestLabel.Stable, bool quarantined = false) =>
        _index.Apply(hash, _rows[hash], new FlakinessReport(hash, revision, score, label, 0, null, quarantined));

    [Fact]
    public void Lists_tests_by_score_highest_first_and_stops_at_the_minimum()
    {
        Add("a", "b", "c", "d");
        Report("a", 1, 0.10);
        Report("b", 1, 0.70, TestLabel.Flaky);
        Report("c", 1, 0.35, TestLabel.Flaky);
        Assert.Equal(["b", "c", "a", "d"], _index.AtLeast(0));
        Assert.Equal(["b", "c"], _index.AtLeast(0.3));
        Assert.Equal(4, _index.Count);
    }

    [Fact]
    public void Keeps_flaky_and_quarantined_counters_and_the_mean_flaky_score()
    {
        Add("a", "b", "c");
        Report("a", 1, 0.6, TestLabel.Flaky, quarantined: true);
        Report("b", 1, 0.2, TestLabel.Flaky);
        Report("c", 1, 0.9, TestLabel.Regression, quarantined: true);
        Assert.Equal(2, _index.FlakyTests);
        Assert.Equal(2, _index.QuarantinedTests);
        Assert.Equal(0.4, _index.AverageFlakyScore, 10);
        Assert.Equal(["c", "a"], _index.AtLeast(0, quarantinedOnly: true));

        Report("a", 2, 0.05, TestLabel.Stable);
        Assert.Equal(1, _index.FlakyTests);
        Assert.Equal(1, _index.QuarantinedTests);
        Assert.Equal(0.2, _index.AverageFlakyScore, 10);
        Assert.Equal(["c"], _index.AtLeast(0, quarantinedOnly: true));
    }

    [Fact]
    public void A_report_older_than_the_row_is_ignored()
    {
        Add("a");
        Assert.True(Report("a", 5, 0.5, TestLabel.Flaky));
        Assert.False(Report("a", 4, 0.1));
        Assert.Equal(0.5, _rows["a"].Score);
        Assert.Equal(1, _index.FlakyTests);
        Assert.True(Report("a", 5, 0.5, TestLabel.Flaky, quarantined: true));
        Assert.Equal(1, _index.QuarantinedTests);
    }

    [Fact]
    public void Equal_scores_are_kept_apart_and_ordered_by_key()
    {
        Add("z", "y", "x");
        foreach (var h in new[] { "z", "y", "x" }) Report(h, 1, 0.25);
        Assert.Equal(["x", "y", "z"], _index.AtLeast(0.25));
    }
}
