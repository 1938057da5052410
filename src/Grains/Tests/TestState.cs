using System.IO.Hashing;
using System.Text;
using Seismo.Domain.Flakiness;

namespace Seismo.Grains.Tests;

/// <summary>The outcome of offering a run's result to a test.</summary>
public enum ApplyOutcome { Applied, Duplicate, WaitingForPrevious }

/// <summary>
/// A test's persisted state. Runs are applied strictly in sequence order: each result names the previous run that
/// reported this test, and a result whose predecessor has not been applied yet waits. That makes replay exact
/// (a run at or below <see cref="LastApplied"/> is already in this state) and gives the flakiness scorer, which is
/// order-sensitive, the same input live as in a from-scratch replay. <see cref="Ring"/> is the recent history.
/// </summary>
[GenerateSerializer]
public sealed class TestState
{
    public const int RingCapacity = 20;

    [Id(0)] public string Key { get; set; } = "";
    [Id(1)] public string Title { get; set; } = "";
    [Id(2)] public string? FullTitle { get; set; }
    [Id(3)] public string? FilePath { get; set; }
    [Id(4)] public int? Line { get; set; }
    [Id(5)] public long TotalRuns { get; set; }
    [Id(6)] public long Passed { get; set; }
    [Id(7)] public long Failed { get; set; }
    [Id(8)] public long Skipped { get; set; }
    [Id(9)] public long Flaky { get; set; }
    [Id(10)] public long Errors { get; set; }
    [Id(11)] public List<TestExecution> Ring { get; set; } = [];
    [Id(12)] public long LastApplied { get; set; }
    [Id(14)] public FlakinessState Flakiness;
    [Id(15)] public DateTimeOffset? LastFlakyAt { get; set; }
    [Id(16)] public QuarantineState Quarantine;
    [Id(17)] public string? QuarantineDecidedBy { get; set; }
    [Id(18)] public DateTimeOffset? QuarantineUpdatedAt { get; set; }

    /// <summary>Counts runs applied and decisions made: the version of what this test reports to its project.</summary>
    [Id(19)] public long Revision { get; set; }

    /// <summary>The flakiness score after each entry of <see cref="Ring"/>, aligned from the newest (older states lack it).</summary>
    [Id(20)] public List<double> RingScores { get; set; } = [];

    public bool IsQuarantined => Quarantine.IsQuarantined;
    public TestLabel Label => (TestLabel)Flakiness.Label;
    public double Score => FlakinessScorer.Score(Flakiness, ScorerSettings.Default);

    public ApplyOutcome Offer(TestApplication application)
    {
        var sequence = application.Execution.Sequence;
        if (sequence <= LastApplied) return ApplyOutcome.Duplicate;
        if (application.Result.PreviousSequence > LastApplied) return ApplyOutcome.WaitingForPrevious;
        Apply(application);
        return ApplyOutcome.Applied;
    }

    private void Apply(TestApplication application)
    {
        var execution = application.Execution;
        var result = application.Result;
        if (Key.Length == 0) Key = result.Key;
        Title = result.Title;
        FullTitle = result.FullTitle ?? FullTitle;
        FilePath = result.FilePath ?? FilePath;
        Line = result.Line ?? Line;
        TotalRuns++;
        switch (execution.Status)
        {
            case TestStatus.Passed: Passed++; break;
            case TestStatus.Failed: Failed++; break;
            case TestStatus.Skipped: Skipped++; break;
            case TestStatus.Flaky: Flaky++; break;
            case TestStatus.Error: Errors++; break;
        }
        ScoreAndQuarantine(application);
        Ring.Add(execution);
        if (Ring.Count > RingCapacity) Ring.RemoveAt(0);
        RingScores.Add(Score);
        if (RingScores.Count > Ring.Count) RingScores.RemoveAt(0);
        LastApplied = execution.Sequence;
        Revision++;
    }

    /// <summary>
    /// The state a replay of <paramref name="remaining"/> (one test's results, in sequence order) gives, as after
    /// runs were deleted. Every run up to <paramref name="appliedThrough"/> counts as applied (the rest were deleted);
    /// the revision moves past <paramref name="previous"/>'s so the project takes the new report. A person's
    /// quarantine decision is not derived from runs: it is kept.
    /// </summary>
    public static TestState Replayed(TestState previous, IReadOnlyList<TestApplication> remaining, long appliedThrough)
    {
        var state = new TestState { Key = previous.Key, Title = previous.Title, FullTitle = previous.FullTitle, FilePath = previous.FilePath,
            Line = previous.Line, Revision = previous.Revision + 1 };
        foreach (var application in remaining) state.Apply(application);
        state.LastApplied = Math.Max(appliedThrough, state.LastApplied);
        if (previous.Quarantine.Source == QuarantineSource.Manual)
            state.SetQuarantineByPerson(previous.IsQuarantined, previous.QuarantineDecidedBy ?? "", previous.QuarantineUpdatedAt ?? default);
        return state;
    }

    /// <summary>A person's decision; it wins over the automatic rule.</summary>
    public QuarantineChange SetQuarantineByPerson(bool quarantined, string decidedBy, DateTimeOffset at)
    {
        var change = QuarantinePolicy.SetByPerson(ref Quarantine, quarantined);
        QuarantineDecidedBy = decidedBy;
        QuarantineUpdatedAt = at;
        Revision++;
        return change;
    }

    private void ScoreAndQuarantine(TestApplication application)
    {
        var execution = application.Execution;
        var settings = ScorerSettings.Default;
        var input = new ScorerInput(KindOf(execution.Status), execution.Attempts, Hash(execution.CommitSha), Hash(execution.Branch),
            application.RunFailureFraction, application.RunSize);
        if (FlakinessScorer.IsFlakyEvidence(input, Flakiness, settings)) LastFlakyAt = execution.CreatedAt;
        FlakinessScorer.Update(ref Flakiness, input, settings);
        var rule = new QuarantineRule(application.Rules.AutoQuarantine, application.Rules.FlakinessThreshold);
        if (QuarantinePolicy.AfterResult(ref Quarantine, input, Flakiness, rule, settings) == QuarantineChange.None) return;
        QuarantineDecidedBy = AutomaticDecision;
        QuarantineUpdatedAt = execution.CreatedAt;
    }

    /// <summary>Who <see cref="QuarantineDecidedBy"/> names for a decision of the project's rule.</summary>
    public const string AutomaticDecision = "auto";

    private static ResultKind KindOf(TestStatus status) => status switch
    {
        TestStatus.Passed => ResultKind.Passed,
        TestStatus.Flaky => ResultKind.PassedOnRetry,
        TestStatus.Skipped => ResultKind.Skipped,
        _ => ResultKind.Failed,
    };

    // Per result, so the UTF-8 bytes of a commit sha or branch go on the stack rather than the heap.
    private static ulong Hash(string? text)
    {
        if (string.IsNullOrEmpty(text)) return 0;
        if (text.Length > 128) return XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(text));
        Span<byte> utf8 = stackalloc byte[text.Length * 3];
        return XxHash64.HashToUInt64(utf8[..Encoding.UTF8.GetBytes(text, utf8)]);
    }
}
