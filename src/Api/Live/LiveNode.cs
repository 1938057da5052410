using Microsoft.Extensions.Options;
using Seismo.Grains;
using Seismo.Grains.Live;

namespace Seismo.Api.Live;

/// <summary>
/// This API node's single Orleans observer: registered with the cluster's live registry, refreshed periodically,
/// and handing every event it receives to the node's <see cref="LiveBroker"/>, each project's in sequence order (an
/// Orleans client may run observer calls concurrently). Works the same co-hosted with a silo or as a separate client.
/// </summary>
public sealed class LiveNode : BackgroundService, ILiveNode
{
    /// <summary>How long a read of a project's replay buffer, to fill a gap, is waited for before the gap is skipped.</summary>
    public static readonly TimeSpan GapFetchTimeout = TimeSpan.FromSeconds(2);

    private readonly Guid _nodeId = Guid.NewGuid();
    private readonly IGrainFactory _grains;
    private readonly ILogger<LiveNode> _logger;
    private readonly LiveSequencer _sequencer;

    public LiveNode(IGrainFactory grains, LiveBroker broker, IOptions<LiveOptions> options, TimeProvider clock, ILogger<LiveNode> logger)
    {
        _grains = grains;
        _logger = logger;
        _sequencer = new LiveSequencer(broker.Publish, (project, after) => grains.GetGrain<IProjectGrain>(project).GetEventsAfterAsync(after),
            clock, options.Value.GapTimeout, GapFetchTimeout, logger);
    }

    public Task DeliverAsync(LiveEvent[] events)
    {
        _sequencer.Accept(events);
        return Task.CompletedTask;
    }

    public override void Dispose()
    {
        _sequencer.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reference = _grains.CreateObjectReference<ILiveNode>(this);
        var registry = _grains.GetGrain<ILiveNodeRegistryGrain>(0);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try { await registry.RegisterAsync(_nodeId, reference); }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    _logger.LogWarning(e, "Live registration failed; retrying");
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                    continue;
                }
                await Task.Delay(LiveTiming.RegistrationRefresh, stoppingToken);
            }
        }
        catch (OperationCanceledException) { }
        finally
        {
            try { await registry.UnregisterAsync(_nodeId).WaitAsync(TimeSpan.FromSeconds(2)); }
            catch (Exception e) { _logger.LogDebug(e, "Live unregistration skipped during shutdown"); }
            _grains.DeleteObjectReference<ILiveNode>(reference);
        }
    }
}
