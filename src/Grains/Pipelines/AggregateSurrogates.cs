using Seismo.Domain.Pipelines;

namespace Seismo.Grains.Pipelines;

// The insights aggregates live in the domain assembly, which knows nothing of Orleans: stored through surrogates.

[GenerateSerializer]
public struct DurationSketchSurrogate
{
    [Id(0)] public Dictionary<int, long> Bins;
    [Id(1)] public long Zeros;
}

[RegisterConverter]
public sealed class DurationSketchConverter : IConverter<DurationSketch, DurationSketchSurrogate>
{
    public DurationSketch ConvertFromSurrogate(in DurationSketchSurrogate s) => new(s.Bins ?? [], s.Zeros);
    public DurationSketchSurrogate ConvertToSurrogate(in DurationSketch v) => new() { Bins = v.Bins, Zeros = v.Zeros };
}

[GenerateSerializer]
public struct RunAggregateSurrogate
{
    [Id(0)] public long TotalRuns;
    [Id(1)] public long SuccessfulRuns;
    [Id(2)] public long FailedRuns;
    [Id(3)] public long CanceledRuns;
    [Id(4)] public long DurationCount;
    [Id(5)] public double DurationSum;
    [Id(6)] public double DurationSumOfSquares;
    [Id(7)] public double? MinDuration;
    [Id(8)] public double? MaxDuration;
    [Id(9)] public DurationSketch Sketch;
    [Id(10)] public long Recoveries;
    [Id(11)] public double RecoverySeconds;
    [Id(12)] public DateTimeOffset? FirstStartedAt;
    [Id(13)] public DateTimeOffset? LastStartedAt;
    [Id(14)] public DateTimeOffset? LastStoppedAt;
}

[RegisterConverter]
public sealed class RunAggregateConverter : IConverter<RunAggregate, RunAggregateSurrogate>
{
    public RunAggregate ConvertFromSurrogate(in RunAggregateSurrogate s) => new()
    {
        TotalRuns = s.TotalRuns, SuccessfulRuns = s.SuccessfulRuns, FailedRuns = s.FailedRuns, CanceledRuns = s.CanceledRuns,
        DurationCount = s.DurationCount, DurationSum = s.DurationSum, DurationSumOfSquares = s.DurationSumOfSquares,
        MinDuration = s.MinDuration, MaxDuration = s.MaxDuration, Sketch = s.Sketch ?? new DurationSketch(), Recoveries = s.Recoveries,
        RecoverySeconds = s.RecoverySeconds, FirstStartedAt = s.FirstStartedAt, LastStartedAt = s.LastStartedAt, LastStoppedAt = s.LastStoppedAt,
    };

    public RunAggregateSurrogate ConvertToSurrogate(in RunAggregate v) => new()
    {
        TotalRuns = v.TotalRuns, SuccessfulRuns = v.SuccessfulRuns, FailedRuns = v.FailedRuns, CanceledRuns = v.CanceledRuns,
        DurationCount = v.DurationCount, DurationSum = v.DurationSum, DurationSumOfSquares = v.DurationSumOfSquares,
        MinDuration = v.MinDuration, MaxDuration = v.MaxDuration, Sketch = v.Sketch, Recoveries = v.Recoveries,
        RecoverySeconds = v.RecoverySeconds, FirstStartedAt = v.FirstStartedAt, LastStartedAt = v.LastStartedAt, LastStoppedAt = v.LastStoppedAt,
    };
}
