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
        return _results ?? await Reporter.GetResultsAsync();
    }

    // Not cached: read once per request for the run's output.
    public Task<byte[]?> GetArchiveAsync() => store.ReadArchiveAsync(this.GetPrimaryKey());

    public Task ForgetAsync()
    {
        (_summary, _results) = (null, null);
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public async Task<ObservationState?> GetObservationStateAsync()
    {
        if (await SummaryAsync() is not { } run) return null;
        if (run.Metadata.ProcessingError is not null) return ObservationState.Failed;
        return await GrainFactory.GetGrain<IProjectGrain>(run.Metadata.ProjectId).GetObservationStateAsync(run.Sequence);
    }

    // A run asked for just before it was stored is looked up again rather than remembered as missing. A run being
    // reported test by test (or cancelled) is not in the log: its reporter grain answers, uncached, as it changes.
    private async Task<RunSummary?> SummaryAsync()
    {
        if (_summary is not null) return _summary;
        if (await store.GetSummaryAsync(this.GetPrimaryKey()) is { } logged) return _summary = logged;
        return (await Reporter.GetAsync())?.Summary is { Sequence: 0 } open ? open : null;
    }

    private IReporterRunGrain Reporter => GrainFactory.GetGrain<IReporterRunGrain>(this.GetPrimaryKey());
}
