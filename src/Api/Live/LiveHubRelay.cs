using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Seismo.Grains;
using Seismo.Grains.Telemetry;

namespace Seismo.Api.Live;

/// <summary>Relays this node's live events to its SignalR groups: one broker subscription for the whole hub.</summary>
public sealed class LiveHubRelay(LiveBroker broker, IHubContext<LiveHub> hub, SeismoMetrics metrics, TimeProvider clock,
    ILogger<LiveHubRelay> logger) : BackgroundService
{
    /// <summary>A live event as SignalR clients receive it: its identity and its payload.</summary>
    public sealed record LiveMessage(string Id, string Type, int Version, long Sequence, Guid ProjectId, DateTimeOffset Timestamp, JsonElement Data);

    public static string MethodOf(string type) => type switch
    {
        EventTypes.RunCompleted => "runCompleted",
        EventTypes.RunFailed => "runFailed",
        EventTypes.TestStatusChanged => "testStatusChanged",
        EventTypes.TestQuarantined => "testQuarantined",
        EventTypes.TestUnquarantined => "testUnquarantined",
        EventTypes.UploadProgress => "uploadProgress",
        EventTypes.NotificationCreated => "notification",
        _ => type,
    };

    public static LiveMessage Message(LiveEvent e)
    {
        using var data = JsonDocument.Parse(e.Data);
        return new LiveMessage(e.Id, e.Type, e.Version, e.Sequence, e.ProjectId, e.Timestamp, data.RootElement.Clone());
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = broker.Subscribe(_ => true, capacity: 100_000);
        var reader = subscription.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                while (reader.TryRead(out var e))
                {
                    try
                    {
                        await SendAsync(e, stoppingToken);
                        metrics.LiveDelivered("signalr", e.Timestamp, clock.GetUtcNow());
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException) { logger.LogWarning(ex, "SignalR relay of {Type} failed", e.Type); }
                }
            }
            if (subscription.Overflowed) logger.LogError("SignalR relay fell behind; restart needed");
        }
        catch (OperationCanceledException) { }
    }

    private Task SendAsync(LiveEvent e, CancellationToken ct)
    {
        if (e.Type == EventTypes.NotificationCreated)
        {
            using var data = JsonDocument.Parse(e.Data);
            var notification = data.RootElement.Clone();
            return hub.Clients.Groups(LiveHub.NotificationGroup(e.AccountId, null), LiveHub.NotificationGroup(e.AccountId, e.ProjectId))
                .SendAsync(MethodOf(e.Type), notification, ct);
        }
        return hub.Clients.Group(LiveHub.ProjectGroup(e.ProjectId)).SendAsync(MethodOf(e.Type), Message(e), ct);
    }
}
