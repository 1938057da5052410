namespace Seismo.Grains.Webhooks;

/// <summary>A delivery to queue: one event for one webhook, with the exact body every attempt sends.</summary>
public sealed record OutboxEntry(
    string DeliveryId, Guid WebhookId, Guid ProjectId, string EventId, string EventType, string WebhookEvent, long Sequence,
    string Body, DateTimeOffset CreatedAt);

/// <summary>The oldest undelivered delivery of a webhook, and how far it got.</summary>
public sealed record PendingDelivery(
    string DeliveryId, Guid WebhookId, Guid ProjectId, string EventId, string WebhookEvent, string Body, int AttemptCount,
    DateTimeOffset NextAttemptAt);

/// <summary>
/// The durable queue of webhook deliveries and the record of every attempt. A delivery is queued in the same
/// durable write that acknowledges the publish, and stays <c>pending</c> until it reaches a final state, so a restart
/// resumes exactly where the previous process stopped.
/// </summary>
public interface IWebhookOutbox
{
    Task InitializeAsync(CancellationToken ct = default);

    /// <summary>Queues deliveries in one transaction; one already queued for the same webhook and event is skipped.</summary>
    Task EnqueueAsync(IReadOnlyList<OutboxEntry> entries, CancellationToken ct = default);

    /// <summary>Webhooks with at least one pending delivery.</summary>
    Task<IReadOnlyList<(Guid ProjectId, Guid WebhookId)>> PendingWebhooksAsync(CancellationToken ct = default);

    /// <summary>How many deliveries are pending in the whole outbox (the queue depth operators watch).</summary>
    Task<long> PendingCountAsync(CancellationToken ct = default);

    /// <summary>The webhook's oldest pending delivery (queue order), or null.</summary>
    Task<PendingDelivery?> NextPendingAsync(Guid webhookId, CancellationToken ct = default);

    /// <summary>Records an attempt and counts it on its delivery.</summary>
    Task RecordAttemptAsync(string deliveryId, WebhookAttemptInfo attempt, CancellationToken ct = default);

    /// <summary>When the next attempt is due, so a restart waits the rest of the delay rather than retrying at once.</summary>
    Task ScheduleAsync(string deliveryId, DateTimeOffset nextAttemptAt, CancellationToken ct = default);

    /// <summary>Moves a delivery to a final state.</summary>
    Task CompleteAsync(string deliveryId, string state, string? error, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>Deliveries of a webhook, newest first, with their attempts.</summary>
    Task<WebhookDeliveryPage> ListAsync(Guid webhookId, int limit, int offset, CancellationToken ct = default);

    /// <summary>Removes a deleted webhook's deliveries and attempts.</summary>
    Task DeleteWebhookAsync(Guid webhookId, CancellationToken ct = default);
}
