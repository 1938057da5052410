namespace Seismo.Domain.Pipelines;

/// <summary>How a workflow or job run ended, as the insights count it.</summary>
public enum RunOutcome : byte { InProgress, Success, Failed, Canceled, NotRun }

/// <summary>One workflow or job run as the aggregates see it.</summary>
public readonly record struct RunSample(RunOutcome Outcome, double? DurationSeconds, DateTimeOffset StartedAt, DateTimeOffset? StoppedAt)
{
    public bool IsTerminal => Outcome is RunOutcome.Success or RunOutcome.Failed or RunOutcome.Canceled;

    /// <summary>Only runs that ended count towards durations; a running one has no duration yet.</summary>
    public bool HasDuration => IsTerminal && DurationSeconds is >= 0;
}

/// <summary>
/// The figures of a group of runs (one hour or one day of one workflow, job and branch), kept on write and merged at
/// read time: counts, duration moments, min/max, a quantile sketch, recoveries. Every field merges by addition (min and
/// max by min and max), so a window of any length costs one merge per bucket.
/// </summary>
public sealed class RunAggregate
{
    public long TotalRuns { get; set; }
    public long SuccessfulRuns { get; set; }
    public long FailedRuns { get; set; }
    public long CanceledRuns { get; set; }
    public long DurationCount { get; set; }
    public double DurationSum { get; set; }
    public double DurationSumOfSquares { get; set; }
    public double? MinDuration { get; set; }
    public double? MaxDuration { get; set; }
    public DurationSketch Sketch { get; set; } = new();
    public long Recoveries { get; set; }
    public double RecoverySeconds { get; set; }
    public DateTimeOffset? FirstStartedAt { get; set; }
    public DateTimeOffset? LastStartedAt { get; set; }
    public DateTimeOffset? LastStoppedAt { get; set; }

    public long CompletedRuns => SuccessfulRuns + FailedRuns + CanceledRuns;

    public void Add(RunSample run) => Apply(run, +1);

    /// <summary>
    /// Takes back a run added before, when a later report of the same run changes it. Min and max are not taken back
    /// (they would need the whole history): a corrected duration can leave an old extreme behind.
    /// </summary>
    public void Remove(RunSample run) => Apply(run, -1);

    public void AddRecovery(double seconds)
    {
        Recoveries++;
        RecoverySeconds += seconds;
    }

    public void Merge(RunAggregate other)
    {
        TotalRuns += other.TotalRuns;
        SuccessfulRuns += other.SuccessfulRuns;
        FailedRuns += other.FailedRuns;
        CanceledRuns += other.CanceledRuns;
        DurationCount += other.DurationCount;
        DurationSum += other.DurationSum;
        DurationSumOfSquares += other.DurationSumOfSquares;
        MinDuration = Min(MinDuration, other.MinDuration);
        MaxDuration = Max(MaxDuration, other.MaxDuration);
        Sketch.Merge(other.Sketch);
        Recoveries += other.Recoveries;
        RecoverySeconds += other.RecoverySeconds;
        FirstStartedAt = Min(FirstStartedAt, other.FirstStartedAt);
        LastStartedAt = Max(LastStartedAt, other.LastStartedAt);
        LastStoppedAt = Max(LastStoppedAt, other.LastStoppedAt);
    }

    private void Apply(RunSample run, int sign)
    {
        TotalRuns += sign;
        switch (run.Outcome)
        {
            case RunOutcome.Success: SuccessfulRuns += sign; break;
            case RunOutcome.Failed: FailedRuns += sign; break;
            case RunOutcome.Canceled: CanceledRuns += sign; break;
        }
        if (run.HasDuration)
        {
            var d = run.DurationSeconds!.Value;
            DurationCount += sign;
            DurationSum += sign * d;
            DurationSumOfSquares += sign * d * d;
            Sketch.Add(d, sign);
            if (sign > 0)
            {
                MinDuration = Min(MinDuration, d);
                MaxDuration = Max(MaxDuration, d);
            }
        }
        if (sign > 0)
        {
            FirstStartedAt = Min(FirstStartedAt, run.StartedAt);
            LastStartedAt = Max(LastStartedAt, run.StartedAt);
            LastStoppedAt = Max(LastStoppedAt, run.StoppedAt);
        }
    }

    private static T? Min<T>(T? a, T? b) where T : struct, IComparable<T> => a is null ? b : b is null ? a : a.Value.CompareTo(b.Value) <= 0 ? a : b;
    private static T? Max<T>(T? a, T? b) where T : struct, IComparable<T> => a is null ? b : b is null ? a : a.Value.CompareTo(b.Value) >= 0 ? a : b;
}
