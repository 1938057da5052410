using Orleans.Concurrency;

namespace Seismo.Grains;

/// <summary>
/// A project's webhooks (keyed by the project id) and the entry point of the project's live events into them:
/// <see cref="PublishAsync"/> matches events to the active webhooks and queues one delivery per match in a durable
/// outbox. Delivery happens in the background, so publishing never waits for a receiver.
/// </summary>
public interface IWebhookGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Queues deliveries of these events (in order) to every active webhook subscribed to them; returns once they are
    /// durable. Cheap when the project has no webhooks (no storage access). Republishing an event (same
    /// <see cref="LiveEvent.Id"/>) queues nothing new.
    /// </summary>
    Task PublishAsync(LiveEvent[] events);

    [AlwaysInterleave]
    Task<WebhookInfo[]> ListAsync();

    /// <summary>One webhook, with its secret (for the delivery service; the API never returns it).</summary>
    [AlwaysInterleave]
    Task<WebhookInfo?> GetAsync(Guid webhookId);

    Task<WebhookInfo> CreateAsync(WebhookSpec spec);

    /// <summary>Applies the fields that are set; null when the webhook does not exist.</summary>
    Task<WebhookInfo?> UpdateAsync(Guid webhookId, WebhookPatch patch);

    /// <summary>Deletes the webhook and its queued deliveries and delivery history; false when it did not exist.</summary>
    Task<bool> DeleteAsync(Guid webhookId);

    /// <summary>The webhook's deliveries, newest first, with every attempt; null when the webhook does not exist.</summary>
    [AlwaysInterleave]
    Task<WebhookDeliveryPage?> ListDeliveriesAsync(Guid webhookId, int limit, int offset);
}
