namespace Seismo.Grains.Live;

/// <summary>
/// The listening API nodes as this silo last read them from the registry, at most
/// <see cref="LiveTiming.NodeListMaxAge"/> old. Project grains send their events straight to each node: one sender
/// per project keeps the project's events in order, and no grain sits in between.
/// </summary>
public sealed class LiveNodeCache(IGrainFactory grains, TimeProvider clock)
{
    private ILiveNode[] _nodes = [];
    private DateTimeOffset _fetchedAt = DateTimeOffset.MinValue;
    private Task<ILiveNode[]>? _refresh;

    public ValueTask<ILiveNode[]> GetAsync()
    {
        if (clock.GetUtcNow() - _fetchedAt <= LiveTiming.NodeListMaxAge) return ValueTask.FromResult(_nodes);
        // Callers arriving during a refresh share it rather than each asking the registry.
        var refresh = Volatile.Read(ref _refresh);
        if (refresh is null || refresh.IsCompleted)
        {
            refresh = RefreshAsync();
            Volatile.Write(ref _refresh, refresh);
        }
        return new ValueTask<ILiveNode[]>(refresh);
    }

    private async Task<ILiveNode[]> RefreshAsync()
    {
        var snapshot = await grains.GetGrain<ILiveNodeRegistryGrain>(0).GetAsync();
        _nodes = snapshot.Nodes;
        _fetchedAt = clock.GetUtcNow();
        return _nodes;
    }
}
