using System.Runtime.CompilerServices;
using Seismo.Domain.Flakiness;

namespace Seismo.Tests.Flakiness;

/// <summary>The clustering guard, the numeric helpers, and the cost limits of the scorer.</summary>
public class FlakinessGuardsTests
{
    private static readonly ScorerSettings Settings = ScorerSettings.Default;

    [Fact]
    public void Failures_in_blocks_are_clustered_and_not_flaky()
    {
        // 10 failures in 100 counted results but a single block: 2 flips where about 18 are expected.
        var state = new FlakinessState { Failures = 10, Passes = 90, Flips = 2 };
        Assert.True(FlakinessScorer.IsClustered(state, Settings));
        FlakinessScorer.Update(ref state, new ScorerInput(ResultKind.Passed, 1, 5, 1, 0, 100), Settings);
        Assert.Equal(FlakinessLabel.Stable, state.Label);
        Assert.Equal(FlakinessReason.ClusteredFailures, state.Reason);

        var independent = new FlakinessState { Failures = 10, Passes = 90, Flips = 17 };
        Assert.False(FlakinessScorer.IsClustered(independent, Settings));
        FlakinessScorer.Update(ref independent, new ScorerInput(ResultKind.Passed, 1, 5, 1, 0, 100), Settings);
        Assert.Equal(FlakinessLabel.Flaky, independent.Label);
    }

    [Theory]
    [InlineData(0.5, 3.0, 3.0, 0.5)]
    [InlineData(0.2, 1.0, 5.0, 0.67232)] // 1 − 0.8^5
    [InlineData(0.3, 2.5, 1.0, 0.049295)] // 0.3^2.5
    [InlineData(0.01, 0.5, 20.0, 0.471370)] // numerical integration
    public void The_incomplete_beta_matches_closed_forms(double x, double a, double b, double expected) =>
        Assert.Equal(expected, BetaDistribution.Cdf(x, a, b), 3);

    [Fact]
    public void Log_gamma_matches_factorials()
    {
        Assert.Equal(Math.Log(24), BetaDistribution.LogGamma(5), 10);
        Assert.Equal(Math.Log(Math.Sqrt(Math.PI)), BetaDistribution.LogGamma(0.5), 10);
    }

    [Theory]
    [InlineData(0.0, 300)]
    [InlineData(0.001, 300)]
    [InlineData(0.01, 299)]
    [InlineData(0.05, 59)]
    [InlineData(0.3, 9)]
    [InlineData(0.9, 5)]
    [InlineData(1.0, 5)]
    public void Quarantine_release_needs_the_clean_runs_a_flaky_test_would_rarely_produce(double score, int runs) =>
        Assert.Equal(runs, QuarantinePolicy.CleanRunsToRelease(score));

    [Fact]
    public void State_fits_in_256_bytes() => Assert.True(Unsafe.SizeOf<FlakinessState>() <= 256, $"{Unsafe.SizeOf<FlakinessState>()} B");

    [Fact]
    public void Updates_do_not_allocate()
    {
        var inputs = new ScorerInput[64];
        var random = new Random(3);
        for (var i = 0; i < inputs.Length; i++)
            inputs[i] = new ScorerInput((ResultKind)random.Next(4), 2, (ulong)random.Next(3), (ulong)random.Next(2), random.NextDouble() * 0.3, 100);
        var state = new FlakinessState();
        for (var i = 0; i < 1000; i++) FlakinessScorer.Update(ref state, inputs[i % inputs.Length], Settings);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100_000; i++) FlakinessScorer.Update(ref state, inputs[i % inputs.Length], Settings);
        var confidence = FlakinessScorer.Confidence(state, Settings);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.InRange(confidence, 0, 1);
    }
}
