using Seismo.Domain.Flakiness;

namespace Seismo.Tests.Flakiness;

/// <summary>Feeds one test's results to the scorer, one run at a time, and keeps the label after each.</summary>
internal sealed class ScorerSequence(ScorerSettings? settings = null)
{
    public const ulong Main = 1;
    public const ulong Feature = 2;

    private FlakinessState _state;
    private ulong _nextCommit = 100;

    public ScorerSettings Settings { get; } = settings ?? ScorerSettings.Default;
    public FlakinessState State => _state;
    public List<FlakinessLabel> Labels { get; } = [];
    public FlakinessLabel Label => _state.Label;
    public FlakinessReason Reason => _state.Reason;
    public double Score => FlakinessScorer.Score(_state, Settings);

    /// <summary>One run per character: P passed, R passed on retry, F failed, S skipped; each on a new commit.</summary>
    public ScorerSequence Runs(string outcomes, ulong branch = Main, double runFailureFraction = 0.01, int runSize = 500)
    {
        foreach (var c in outcomes) Run(Kind(c), _nextCommit++, branch, runFailureFraction, runSize);
        return this;
    }

    public ScorerSequence Run(ResultKind kind, ulong commit, ulong branch = Main, double runFailureFraction = 0.01, int runSize = 500)
    {
        var input = new ScorerInput(kind, kind == ResultKind.Passed ? 1 : 2, commit, branch, runFailureFraction, runSize);
        FlakinessScorer.Update(ref _state, input, Settings);
        Labels.Add(_state.Label);
        return this;
    }

    /// <summary>Independent failures with probability <paramref name="p"/>, seeded, without retries.</summary>
    public ScorerSequence Flaky(double p, int runs, int seed = 7)
    {
        var random = new Random(seed);
        for (var i = 0; i < runs; i++) Runs(random.NextDouble() < p ? "F" : "P");
        return this;
    }

    public static ResultKind Kind(char c) => c switch
    {
        'P' => ResultKind.Passed,
        'R' => ResultKind.PassedOnRetry,
        'F' => ResultKind.Failed,
        'S' => ResultKind.Skipped,
        _ => throw new ArgumentOutOfRangeException(nameof(c), c, "use P, R, F or S"),
    };
}
