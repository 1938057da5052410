namespace Seismo.Grains.Notifications;

/// <summary>
/// An account's notification inbox (see <see cref="NotificationInbox"/> for its rules). Every change is written
/// before the call returns; reads interleave and answer from memory.
/// </summary>
public sealed class NotificationInboxGrain(
    [PersistentState("notifications", "Default")] IPersistentState<InboxState> state,
    TimeProvider clock) : Grain, INotificationInboxGrain
{
    private static readonly NotificationComposer Composer = new();

    private NotificationInbox Inbox { get; set; } = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Inbox = new NotificationInbox(state.State);
        return Task.CompletedTask;
    }

    public async Task<Notification[]> RaiseAsync(NotificationDraft[] drafts)
    {
        if (drafts.Length == 0) return [];
        var created = Inbox.Add(drafts, clock.GetUtcNow());
        if (created.Length > 0) await SaveAsync();
        return created;
    }

    public Task<Notification[]> RaiseForEventsAsync(LiveEvent[] events) => RaiseAsync(Composer.Compose(events));

    public Task<Notification[]> ListAsync(Guid? scope, bool unreadOnly, int limit) => Task.FromResult(Inbox.List(scope, unreadOnly, limit));

    public Task<int> CountUnreadAsync(Guid? scope) => Task.FromResult(Inbox.CountUnread(scope));

    public async Task<bool> MarkReadAsync(Guid id, Guid? scope)
    {
        if (!Inbox.MarkRead(id, scope, out var changed)) return false;
        if (changed) await SaveAsync();
        return true;
    }

    public async Task<int> MarkAllReadAsync(Guid? scope)
    {
        var marked = Inbox.MarkAllRead(scope);
        if (marked > 0) await SaveAsync();
        return marked;
    }

    public async Task<bool> DeleteAsync(Guid id, Guid? scope)
    {
        if (!Inbox.Delete(id, scope)) return false;
        await SaveAsync();
        return true;
    }

    // A failed write leaves memory ahead of the store: the next activation starts over from the store.
    private async Task SaveAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }
}
