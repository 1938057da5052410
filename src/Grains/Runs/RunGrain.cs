using Seismo.Grains.Storage;

namespace Seismo.Grains.Runs;

/// <summary>A run, loaded once from its durable record and kept in memory while it is being looked at.</summary>
[CollectionAgeLimit(Minutes = 10)]
public sealed class RunGrain(IRunStore store) : Grain, IRunGrain
{
    private StoredRun? _run;

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _run = await store.GetAsync(this.GetPrimaryKey(), cancellationToken);

    public async Task<RunSummary?> GetAsync() => (await LoadAsync())?.Summary;

    public async Task<IReadOnlyList<TestResult>> GetResultsAsync() => (await LoadAsync())?.Results ?? [];

    public async Task<ObservationState?> GetObservationStateAsync()
    {
        if (await LoadAsync() is not { } run) return null;
        if (run.Summary.Metadata.ProcessingError is not null) return ObservationState.Failed;
        return await GrainFactory.GetGrain<IProjectGrain>(run.Summary.Metadata.ProjectId).GetObservationStateAsync(run.Summary.Sequence);
    }

    // A run asked for just before it was stored is looked up again rather than remembered as missing.
    private async Task<StoredRun?> LoadAsync() => _run ??= await store.GetAsync(this.GetPrimaryKey());
}
