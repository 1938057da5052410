namespace Seismo.Domain.Flakiness;

/// <summary>Knobs of <see cref="FlakinessScorer"/>; <see cref="Default"/> is what the benchmark measures.</summary>
public sealed record ScorerSettings
{
    public static ScorerSettings Default { get; } = new();

    /// <summary>Weight kept by old evidence per scored result (0.995: half-life of about 140 results).</summary>
    public double Decay { get; init; } = 0.995;

    /// <summary>Beta prior on the failure probability: weak, mean about 2.4%.</summary>
    public double Alpha0 { get; init; } = 0.5;
    public double Beta0 { get; init; } = 20;

    /// <summary>Runs where at least this share of the suite failed are treated as infrastructure incidents.</summary>
    public double InfraFailureFraction { get; init; } = 0.2;

    /// <summary>The infrastructure gate only applies to suites at least this large (small suites are too noisy).</summary>
    public int InfraMinSuiteSize { get; init; } = 20;

    /// <summary>The posterior mean must reach this for FLAKY.</summary>
    public double FlakyThreshold { get; init; } = 0.01;

    /// <summary>The failure probability that <see cref="FlakinessScorer.Confidence"/> asks about: P(p &gt; this).</summary>
    public double ConfidenceFloor { get; init; } = 0.01;

    /// <summary>Confidence needed to become FLAKY, and to stay FLAKY (hysteresis stops the label flapping).</summary>
    public double FlakyEnterConfidence { get; init; } = 0.95;
    public double FlakyExitConfidence { get; init; } = 0.8;

    /// <summary>Decayed count of failures needed before FLAKY: one failure is never enough.</summary>
    public double MinFailureWeight { get; init; } = 1.5;

    /// <summary>Failure probability of a regressed test, the CUSUM's alternative hypothesis.</summary>
    public double RegressionFailureProbability { get; init; } = 0.95;

    /// <summary>CUSUM decision level: ln 1000, so a streak must be 1000 times likelier under "regressed".</summary>
    public double CusumThreshold { get; init; } = Math.Log(1000);

    /// <summary>Lower bound on the in-control failure probability, so one failure never trips the CUSUM alone.</summary>
    public double CusumFloorProbability { get; init; } = 0.0011;

    /// <summary>Consecutive hard failures after which the test is BROKEN rather than regressed.</summary>
    public int BrokenAfterFailures { get; init; } = 20;

    /// <summary>
    /// A held failure waits for the next run on its branch; after this many results on other branches
    /// it is resolved anyway (the branch may be gone).
    /// </summary>
    public int HoldLimit { get; init; } = 100;

    /// <summary>
    /// For this many results after a regression is fixed, held failures that resolve without tripping the CUSUM are
    /// taken for the regression's tail (branches and re-runs still on the broken commits) and dropped, not counted.
    /// </summary>
    public int RegressionAftermath { get; init; } = 50;

    /// <summary>
    /// Only a regression of at least this many hard failures has a tail: two or three in a row are what a flaky test
    /// produces now and then, and must not mute the evidence that follows.
    /// </summary>
    public int RegressionAftermathMinStreak { get; init; } = 4;

    /// <summary>Results during which a pass on retry or a same-commit flip keeps the test SUSPECTED.</summary>
    public int SuspicionWindow { get; init; } = 100;

    /// <summary>Clustered when observed flips are below this share of the 2p(1−p)·n expected.</summary>
    public double ClusteredFlipRatio { get; init; } = 0.5;

    /// <summary>The clustering guard only speaks once this many flips are expected.</summary>
    public double MinExpectedFlips { get; init; } = 4;
}
