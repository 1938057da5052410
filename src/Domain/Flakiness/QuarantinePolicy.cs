namespace Seismo.Domain.Flakiness;

/// <summary>How long a quarantined test must pass before it is released.</summary>
public static class QuarantinePolicy
{
    public const int MinCleanRuns = 5;
    public const int MaxCleanRuns = 300;

    /// <summary>
    /// Clean runs in a row that a test failing with probability <paramref name="score"/> would produce only 5% of
    /// the time: ceil(ln 0.05 / ln(1 − p)), bounded to [5, 300].
    /// </summary>
    public static int CleanRunsToRelease(double score)
    {
        // The formula grows without bound as p falls to 0 and shrinks to 1 as p reaches 1.
        if (double.IsNaN(score) || score <= 0) return MaxCleanRuns;
        if (score >= 1) return MinCleanRuns;
        var runs = Math.Ceiling(Math.Log(0.05) / Math.Log(1 - score));
        return (int)Math.Clamp(runs, MinCleanRuns, MaxCleanRuns);
    }
}
