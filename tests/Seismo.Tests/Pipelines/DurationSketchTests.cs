using Seismo.Domain.Pipelines;

namespace Seismo.Tests.Pipelines;

public sealed class DurationSketchTests
{
    private static double Exact(List<double> sorted, double q) => sorted[Math.Max(0, (int)Math.Ceiling(q * sorted.Count) - 1)];

    [Theory]
    [InlineData(1, 0.5, 600.0)]      // uniform seconds to ten minutes
    [InlineData(2, 0.01, 86_400.0)]  // ten milliseconds to a day
    [InlineData(3, 1, 5.0)]
    public void Every_quantile_is_within_one_percent_of_the_exact_one(int seed, double low, double high)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, 20_000).Select(_ => low * Math.Pow(high / low, random.NextDouble())).ToList();
        var sketch = new DurationSketch();
        foreach (var v in values) sketch.Add(v);
        values.Sort();
        foreach (var q in new[] { 0.0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0 })
        {
            var exact = Exact(values, q);
            var estimate = sketch.Quantile(q)!.Value;
            Assert.True(Math.Abs(estimate - exact) <= 0.01 * exact, $"q={q}: {estimate} vs {exact}");
            Assert.True(Math.Abs(estimate - exact) <= DurationSketch.RelativeAccuracy * exact * 1.0000001, $"q={q}: {estimate} vs {exact} beyond alpha");
        }
    }

    [Fact]
    public void Merged_sketches_answer_as_one_sketch_of_all_values()
    {
        var random = new Random(7);
        var all = new DurationSketch();
        var parts = Enumerable.Range(0, 5).Select(_ => new DurationSketch()).ToArray();
        var values = new List<double>();
        for (var i = 0; i < 5_000; i++)
        {
            var v = 1 + random.NextDouble() * 999;
            values.Add(v);
            all.Add(v);
            parts[i % 5].Add(v);
        }
        var merged = new DurationSketch();
        foreach (var p in parts) merged.Merge(p);
        values.Sort();
        Assert.Equal(all.Count, merged.Count);
        foreach (var q in new[] { 0.5, 0.95, 0.99 })
        {
            Assert.Equal(all.Quantile(q), merged.Quantile(q));
            Assert.True(Math.Abs(merged.Quantile(q)!.Value - Exact(values, q)) <= 0.01 * Exact(values, q));
        }
    }

    [Fact]
    public void A_removed_value_no_longer_counts_and_zero_durations_answer_zero()
    {
        var sketch = new DurationSketch();
        sketch.Add(100);
        sketch.Add(200);
        sketch.Add(300);
        sketch.Remove(300);
        Assert.Equal(2, sketch.Count);
        Assert.InRange(sketch.Quantile(1)!.Value, 199, 201);
        var zeros = new DurationSketch();
        zeros.Add(0);
        zeros.Add(0);
        zeros.Add(10);
        Assert.Equal(0, zeros.Quantile(0.5));
        Assert.InRange(zeros.Quantile(1)!.Value, 9.95, 10.05);
        Assert.Null(new DurationSketch().Quantile(0.5));
    }

    [Fact]
    public void Aggregate_figures_match_a_hand_computed_group()
    {
        var at = DateTimeOffset.Parse("2026-01-01T00:00:00Z");
        var agg = new RunAggregate();
        agg.Add(new RunSample(RunOutcome.Failed, 100, at, at.AddSeconds(100)));
        agg.Add(new RunSample(RunOutcome.Success, 200, at.AddHours(1), at.AddHours(1).AddSeconds(200)));
        agg.Add(new RunSample(RunOutcome.Success, 300, at.AddHours(2), null));
        agg.Add(new RunSample(RunOutcome.InProgress, null, at.AddHours(3), null));
        agg.AddRecovery(3700);
        var f = InsightsFigures.Of(agg, 7);
        Assert.Equal((4, 2, 1, 3), (f.TotalRuns, f.SuccessfulRuns, f.FailedRuns, f.CompletedRuns));
        Assert.Equal(2.0 / 3, f.SuccessRate, 6);
        Assert.Equal(4 / 7.0, f.Throughput, 6);
        Assert.Equal((100L, 300L, 200L), (f.Min!.Value, f.Max!.Value, f.Mean!.Value));
        Assert.InRange(f.Median!.Value, 198, 202);
        Assert.InRange(f.P95!.Value, 297, 303);
        Assert.Equal(81.65, f.StandardDeviation!.Value, 2);
        Assert.Equal(3700, f.Mttr);
        Assert.Equal(600, f.TotalDurationSeconds);
        Assert.Equal(0.5, InsightsFigures.Trend(3, 2));
        Assert.Equal(0, InsightsFigures.Trend(3, 0));
    }
}
