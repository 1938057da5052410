using Seismo.Grains;
using Seismo.Grains.Live;

namespace Seismo.Api.Live;

/// <summary>
/// This API node's single Orleans observer: registered with the cluster's live registry, refreshed periodically,
/// and handing every event it receives to the node's <see cref="LiveBroker"/>. Works the same co-hosted with a silo
/// or as a separate Orleans client.
/// </summary>
public sealed class LiveNode(IGrainFactory grains, LiveBroker broker, ILogger<LiveNode> logger) : BackgroundService, ILiveNode
{
    private readonly Guid _nodeId = Guid.NewGuid();

    public Task DeliverAsync(LiveEvent[] events)
    {
        broker.Publish(events);
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reference = grains.CreateObjectReference<ILiveNode>(this);
        var registry = grains.GetGrain<ILiveNodeRegistryGrain>(0);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try { await registry.RegisterAsync(_nodeId, reference); }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(e, "Live registration failed; retrying");
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
            catch (Exception e) { logger.LogDebug(e, "Live unregistration skipped during shutdown"); }
            grains.DeleteObjectReference<ILiveNode>(reference);
        }
    }
}
