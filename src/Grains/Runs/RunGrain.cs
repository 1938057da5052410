using Seismo.Grains.Storage;

namespace Seismo.Grains.Runs;

/// <summary>
/// A run, loaded from its durable record and kept in memory while it is being looked at. The summary is loaded
/// first; the results (a thousand or more, compressed) only when someone asks for them.
/// </summary>
[CollectionAgeLimit(Minutes = 10)]
public sealed class RunGrain(IRunStore store) : Grain, IRunGrain
{
    private RunSummary? _summary;
    private IReadOnlyList<TestResult>? _results;

    public async Task<RunSummary?> GetAsync() => await SummaryAsync();

    public async Task<IReadOnlyList<TestResult>> GetResultsAsync()
    {
        if (_results is null && await store.GetAsync(this.GetPrimaryKey()) is { } run) (_summary, _results) = (run.Summary, run.Results);
        return _results ?? [];
    }

    public async Task<ObservationState?> GetObservationStateAsync()
    {
        if (await SummaryAsync() is not { } run) return null;
        if (run.Metadata.ProcessingError is not null) return ObservationState.Failed;
        return await GrainFactory.GetGrain<IProjectGrain>(run.Metadata.ProjectId).GetObservationStateAsync(run.Sequence);
    }

    // A run asked for just before it was stored is looked up again rather than remembered as missing.
    private async Task<RunSummary?> SummaryAsync() => _summary ??= await store.GetSummaryAsync(this.GetPrimaryKey());
}
