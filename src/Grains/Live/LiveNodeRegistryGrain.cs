namespace Seismo.Grains.Live;

/// <summary>
/// Which API nodes listen for live events. Kept in memory only: nodes re-register every
/// <see cref="LiveTiming.RegistrationRefresh"/>, and one silent for <see cref="LiveTiming.RegistrationExpiry"/> is dropped.
/// </summary>
public sealed class LiveNodeRegistryGrain(TimeProvider clock) : Grain, ILiveNodeRegistryGrain
{
    private readonly Dictionary<Guid, (ILiveNode Node, DateTimeOffset Seen)> _nodes = [];
    private LiveNodes _snapshot = new(0, []);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(() => { Expire(); return Task.CompletedTask; },
            new GrainTimerCreationOptions(LiveTiming.RegistrationExpiry, LiveTiming.RegistrationExpiry / 2) { Interleave = true });
        return Task.CompletedTask;
    }

    public Task RegisterAsync(Guid nodeId, ILiveNode node)
    {
        var known = _nodes.ContainsKey(nodeId);
        _nodes[nodeId] = (node, clock.GetUtcNow());
        if (!known) Publish();
        return Task.CompletedTask;
    }

    public Task UnregisterAsync(Guid nodeId)
    {
        if (_nodes.Remove(nodeId)) Publish();
        return Task.CompletedTask;
    }

    public Task<LiveNodes> GetAsync() => Task.FromResult(_snapshot);

    private void Expire()
    {
        var cutoff = clock.GetUtcNow() - LiveTiming.RegistrationExpiry;
        var gone = _nodes.Where(n => n.Value.Seen < cutoff).Select(n => n.Key).ToList();
        foreach (var id in gone) _nodes.Remove(id);
        if (gone.Count > 0) Publish();
    }

    private void Publish() => _snapshot = new LiveNodes(_snapshot.Version + 1, _nodes.Values.Select(n => n.Node).ToArray());
}

/// <summary>How often nodes refresh their registration, and how fast publishers see a change of nodes.</summary>
public static class LiveTiming
{
    public static readonly TimeSpan RegistrationRefresh = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan RegistrationExpiry = TimeSpan.FromSeconds(95);
    public static readonly TimeSpan NodeListMaxAge = TimeSpan.FromSeconds(1);
}
