using Microsoft.Extensions.Logging;
using Seismo.Domain.Webhooks;

namespace Seismo.Grains.Webhooks;

[GenerateSerializer]
public sealed class WebhookState
{
    [Id(0)] public List<WebhookInfo> Hooks { get; set; } = [];
}

/// <summary>
/// A project's webhooks. Publishing matches events to the active webhooks and queues the deliveries in the outbox;
/// the <see cref="WebhookDispatcher"/> delivers them in the background, so a publisher waits for one local write
/// at most, never for a receiver.
/// </summary>
public sealed class WebhookGrain(
    [PersistentState("webhooks", "Default")] IPersistentState<WebhookState> state,
    IWebhookOutbox outbox,
    WebhookSignal signal,
    TimeProvider clock,
    ILogger<WebhookGrain> logger) : Grain, IWebhookGrain
{
    public async Task PublishAsync(LiveEvent[] events)
    {
        var active = state.State.Hooks.Where(h => h.IsActive).ToArray();
        if (active.Length == 0 || events.Length == 0) return;
        var projectId = this.GetPrimaryKey();
        var now = clock.GetUtcNow();
        var entries = new List<OutboxEntry>();
        foreach (var e in events)
        {
            if (e.ProjectId != projectId || WebhookEvents.NameForPayload(e.Type, e.Data) is not { } name) continue;
            string? body = null;
            foreach (var hook in active.Where(h => h.Events.Contains(name)))
            {
                body ??= BuildBody(e, name);
                if (body is null) break;
                entries.Add(new OutboxEntry(WebhookIds.NewDeliveryId(), hook.Id, projectId, e.Id, e.Type, name, e.Sequence, body, now));
            }
        }
        if (entries.Count == 0) return;
        await outbox.EnqueueAsync(entries);
        signal.Wake();
    }

    public Task<WebhookInfo[]> ListAsync() => Task.FromResult(state.State.Hooks.ToArray());

    public Task<WebhookInfo?> GetAsync(Guid webhookId) => Task.FromResult(Find(webhookId));

    public async Task<WebhookInfo> CreateAsync(WebhookSpec spec)
    {
        var now = clock.GetUtcNow();
        var hook = new WebhookInfo(Guid.NewGuid(), this.GetPrimaryKey(), spec.AccountId, spec.Url, spec.Events, spec.Headers,
            string.IsNullOrEmpty(spec.Secret) ? null : spec.Secret, spec.IsActive, now, now);
        state.State.Hooks.Add(hook);
        await state.WriteStateAsync();
        return hook;
    }

    public async Task<WebhookInfo?> UpdateAsync(Guid webhookId, WebhookPatch patch)
    {
        var index = state.State.Hooks.FindIndex(h => h.Id == webhookId);
        if (index < 0) return null;
        var hook = state.State.Hooks[index];
        var updated = hook with
        {
            Url = patch.Url ?? hook.Url,
            Events = patch.Events ?? hook.Events,
            Headers = patch.Headers ?? hook.Headers,
            Secret = patch.Secret is null ? hook.Secret : patch.Secret.Length == 0 ? null : patch.Secret,
            IsActive = patch.IsActive ?? hook.IsActive,
            UpdatedAt = clock.GetUtcNow(),
        };
        state.State.Hooks[index] = updated;
        await state.WriteStateAsync();
        // A reactivated webhook may have deliveries queued before it was paused that were not yet cancelled.
        if (updated.IsActive) signal.Wake();
        return updated;
    }

    public async Task<bool> DeleteAsync(Guid webhookId)
    {
        if (state.State.Hooks.RemoveAll(h => h.Id == webhookId) == 0) return false;
        await state.WriteStateAsync();
        await outbox.DeleteWebhookAsync(webhookId);
        return true;
    }

    public async Task<WebhookDeliveryPage?> ListDeliveriesAsync(Guid webhookId, int limit, int offset) =>
        Find(webhookId) is null ? null : await outbox.ListAsync(webhookId, limit, offset);

    private WebhookInfo? Find(Guid webhookId) => state.State.Hooks.Find(h => h.Id == webhookId);

    private string? BuildBody(LiveEvent e, string name)
    {
        try
        {
            return WebhookPayload.Build(e.Id, e.Type, name, e.Version, e.Sequence, e.Timestamp, e.ProjectId, e.AccountId, e.Data);
        }
        catch (System.Text.Json.JsonException ex)
        {
            logger.LogError(ex, "Event {EventId} of project {Project} has a payload that is not JSON; not sent to webhooks", e.Id, e.ProjectId);
            return null;
        }
    }
}
