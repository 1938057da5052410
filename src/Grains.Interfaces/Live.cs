using Orleans.Concurrency;

namespace Seismo.Grains;

/// <summary>
/// An API node's receiver of live events: one observer per node, not per browser. Each node registers its observer
/// with <see cref="ILiveNodeRegistryGrain"/> and fans events out to its own SSE and SignalR clients.
/// </summary>
public interface ILiveNode : IGrainObserver
{
    [OneWay]
    Task DeliverAsync(LiveEvent[] events);
}

/// <summary>The API nodes currently listening. In memory: nodes re-register periodically, so it rebuilds itself.</summary>
public interface ILiveNodeRegistryGrain : IGrainWithIntegerKey
{
    Task RegisterAsync(Guid nodeId, ILiveNode node);
    Task UnregisterAsync(Guid nodeId);

    [AlwaysInterleave]
    Task<LiveNodes> GetAsync();
}

[GenerateSerializer, Immutable]
public sealed record LiveNodes(
    [property: Id(0)] long Version,
    [property: Id(1)] ILiveNode[] Nodes);

/// <summary>Events after a sequence number, from the project's bounded replay buffer.</summary>
/// <param name="Truncated">The buffer no longer holds every event after the one asked for: some were missed.</param>
[GenerateSerializer, Immutable]
public sealed record EventReplay(
    [property: Id(0)] LiveEvent[] Events,
    [property: Id(1)] bool Truncated,
    [property: Id(2)] long LastSequence);
