namespace Seismo.Grains.Tests;

/// <summary>
/// A test's persisted state. <see cref="Ring"/> holds the most recent executions ordered by run sequence.
/// Replay is idempotent without depending on arrival order: <see cref="KnownDurable"/> is the project's durable
/// watermark as last told (every run at or below it that contains this test is already in this state), and
/// <see cref="AppliedAbove"/> lists the runs above it applied here. Both are exact, so a run arriving late by any
/// amount is still applied once.
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
    [Id(12)] public long KnownDurable { get; set; }
    [Id(13)] public bool IsQuarantined { get; set; }
    [Id(14)] public List<long> AppliedAbove { get; set; } = [];

    // The flakiness scorer's state joins here: it is folded in Apply, in sequence order, like the counts.

    public bool HasApplied(long sequence) => sequence <= KnownDurable || AppliedAbove.Contains(sequence);

    /// <summary>Applies one run's result. Returns false when that run was already applied.</summary>
    public bool Apply(TestApplication application)
    {
        var execution = application.Execution;
        if (application.DurableThrough > KnownDurable)
        {
            KnownDurable = application.DurableThrough;
            AppliedAbove.RemoveAll(s => s <= KnownDurable);
        }
        if (HasApplied(execution.Sequence)) return false;
        AppliedAbove.Add(execution.Sequence);
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
        // Runs almost always arrive in order; a late one is slotted into place.
        var at = Ring.Count;
        while (at > 0 && Ring[at - 1].Sequence > execution.Sequence) at--;
        Ring.Insert(at, execution);
        if (Ring.Count > RingCapacity) Ring.RemoveAt(0);
        return true;
    }
}
